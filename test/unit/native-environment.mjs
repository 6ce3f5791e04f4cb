// Jest's node environment with a plain global object: the unit and browser tiers' testEnvironment.
//
// jest-environment-node runs each test file in a vm context made with vm.createContext(proxy): every
// global lookup (Math, Map, Float64Array, Number…) then goes through V8's interceptor and a Proxy trap.
// Measured here (Node 20, jest 30): a loop over Math.abs 300× slower than in plain Node, a simulation
// 12×, exact figures 4× — most of the unit tier's time. vm.constants.DONT_CONTEXTIFY makes the
// context's global an ordinary object, so the tests run the engine at the speed `npm start` does.
// Everything else is jest's own environment (globals, timers, mocks); only the context differs, and
// the per-file context is still a new one (no state is shared between test files).
import vm from 'node:vm';
import { TestEnvironment } from 'jest-environment-node';

export default class NativeGlobalsEnvironment extends TestEnvironment {
  constructor(config, context) {
    const createContext = vm.createContext;
    vm.createContext = () => createContext(vm.constants.DONT_CONTEXTIFY);
    try {
      super(config, context);
    } finally {
      vm.createContext = createContext;
    }
  }
}

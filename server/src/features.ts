/**
 * Controllers and providers of the trial features (study, participants, randomization, pharmacy,
 * allocation log), registered in one list so the foundation stays small.
 */
import type { Provider, Type } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { BlindingInterceptor } from './common/blinding.interceptor.js';
import { AllocationLogController } from './modules/allocation-log/allocation-log.controller.js';
import { AllocationLogService } from './modules/allocation-log/allocation-log.service.js';
import { ParticipantsController } from './modules/participants/participants.controller.js';
import { ParticipantsService } from './modules/participants/participants.service.js';
import { PharmacyController } from './modules/pharmacy/pharmacy.controller.js';
import { PharmacyService } from './modules/pharmacy/pharmacy.service.js';
import { RandomizationService } from './modules/randomization/randomization.service.js';
import { RehearsalService } from './modules/study/rehearsal.service.js';
import { SimulationService } from './modules/study/simulation.service.js';
import { StudyController } from './modules/study/study.controller.js';
import { StudyService } from './modules/study/study.service.js';

export const FEATURE_CONTROLLERS: Type<unknown>[] = [StudyController, ParticipantsController, PharmacyController, AllocationLogController];
export const FEATURE_PROVIDERS: Provider[] = [
  StudyService,
  RehearsalService,
  SimulationService,
  ParticipantsService,
  RandomizationService,
  PharmacyService,
  AllocationLogService,
  { provide: APP_INTERCEPTOR, useClass: BlindingInterceptor },
];

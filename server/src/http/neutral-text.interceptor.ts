/**
 * Applies the write-time neutral-text check (neutral-text.ts) to the body of every write request,
 * after authentication and before validation and the handler: nothing is written when it fails.
 */
import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Observable } from 'rxjs';
import { ProtocolService } from '../modules/protocol/protocol.service.js';
import { NEUTRAL_TEXT_EXEMPT_KEY, requireNeutralText } from '../common/neutral-text.js';

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

@Injectable()
export class NeutralTextInterceptor implements NestInterceptor {
  constructor(
    private readonly protocol: ProtocolService,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest();
    if (WRITES.has(request.method)) {
      const exempt = this.reflector.get<string[] | '*' | undefined>(NEUTRAL_TEXT_EXEMPT_KEY, context.getHandler());
      // The route's study's words; on an instance route, every study's (request.viewer is set by the guard).
      if (exempt !== '*')
        for (const vocab of this.protocol.vocabulariesFor(request.viewer?.studyId))
          requireNeutralText(request.body, vocab, new Set(exempt ?? []));
    }
    return next.handle();
  }
}

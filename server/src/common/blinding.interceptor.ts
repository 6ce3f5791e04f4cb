/**
 * The second line of blinding (the first is the per-viewer views): every response to a blinded
 * caller is checked, and if an arm field, arm code or arm label slipped through, the response is
 * replaced by a 500 with no details and the incident is logged. Fails closed. The one exception is
 * the emergency reveal to its requester (see unblinded-response.ts).
 */
import { Injectable, Logger, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { map, type Observable } from 'rxjs';
import { StudyService } from '../modules/study/study.service.js';
import { findLeak } from './blinding.js';
import { DomainError } from './domain-error.js';
import { ALLOW_UNBLINDED_KEY, UnblindedResponse } from './unblinded-response.js';
import { isBlindedViewer, type Viewer } from './viewer.js';

@Injectable()
export class BlindingInterceptor implements NestInterceptor {
  private readonly logger = new Logger('Blinding');

  constructor(private readonly study: StudyService, private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest();
    const mayUnblind = this.reflector.get<boolean>(ALLOW_UNBLINDED_KEY, context.getHandler()) === true;
    return next.handle().pipe(
      map((body) => {
        const viewer: Viewer | undefined = request.viewer;
        if (body instanceof UnblindedResponse) {
          if (mayUnblind && viewer && body.forUserId === viewer.userId) return body.body;
          this.logger.error(`BLINDING GUARD: an unblinded answer on ${request.method} ${request.url} was not addressed to its caller or not on a reveal route`);
          throw new DomainError('INTERNAL_ERROR', 'The response was withheld by the blinding guard. The incident was logged.');
        }
        if (!viewer || !isBlindedViewer(viewer)) return body;
        const vocab = this.study.vocabulary();
        if (!vocab) return body;
        const leak = findLeak(body, vocab);
        if (leak) {
          this.logger.error(`BLINDING GUARD: blocked a response to ${viewer.username} (${viewer.role}) on ${request.method} ${request.url}: ${leak}`);
          throw new DomainError('INTERNAL_ERROR', 'The response was withheld by the blinding guard. The incident was logged.');
        }
        return body;
      }),
    );
  }
}

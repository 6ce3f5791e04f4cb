/**
 * The second line of blinding (the first is the per-viewer views): every response to a blinded
 * caller is checked, and if an arm field, arm code or arm label slipped through, the response is
 * replaced by a 500 with no details and the incident is logged. Fails closed.
 */
import { Injectable, Logger, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { map, type Observable } from 'rxjs';
import { isBlinded } from '../../../shared/roles.js';
import { StudyService } from '../modules/study/study.service.js';
import { findLeak } from './blinding.js';
import { DomainError } from './domain-error.js';
import type { Viewer } from './viewer.js';

@Injectable()
export class BlindingInterceptor implements NestInterceptor {
  private readonly logger = new Logger('Blinding');

  constructor(private readonly study: StudyService) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest();
    return next.handle().pipe(
      map((body) => {
        const viewer: Viewer | undefined = request.viewer;
        if (!viewer || !isBlinded(viewer.role)) return body;
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

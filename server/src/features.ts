/**
 * Controllers and providers of the trial features (study, participants, randomization, pharmacy,
 * allocation log, unblinding, notifications, end of study, exports), registered in one list so the
 * foundation stays small.
 */
import type { Provider, Type } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { BlindingInterceptor } from './http/blinding.interceptor.js';
import { BlindingIncidents } from './http/blinding-incidents.js';
import { ErrorBodyGuard } from './http/error-body-guard.js';
import { NeutralTextInterceptor } from './http/neutral-text.interceptor.js';
import { AllocationLogController } from './modules/allocation-log/allocation-log.controller.js';
import { AllocationLogService } from './modules/allocation-log/allocation-log.service.js';
import { ParticipantsController } from './modules/participants/participants.controller.js';
import { ParticipantsService } from './modules/participants/participants.service.js';
import { PharmacyController } from './modules/pharmacy/pharmacy.controller.js';
import { PharmacyService } from './modules/pharmacy/pharmacy.service.js';
import { PharmacyNotices } from './modules/pharmacy/pharmacy-notices.js';
import { ProtocolService } from './modules/protocol/protocol.service.js';
import { RandomizationController } from './modules/randomization/randomization.controller.js';
import { RandomizationService } from './modules/randomization/randomization.service.js';
import { RehearsalService } from './modules/study/rehearsal.service.js';
import { SimulationService } from './modules/study/simulation.service.js';
import { StudyController } from './modules/study/study.controller.js';
import { StudyService } from './modules/study/study.service.js';
import { StudyLifecycleController } from './modules/study/study-lifecycle.controller.js';
import { StudyLifecycleService } from './modules/study/study-lifecycle.service.js';
import { UnblindingController } from './modules/unblinding/unblinding.controller.js';
import { UnblindingRequestsService } from './modules/unblinding/unblinding-requests.service.js';
import { UnblindingRevealService } from './modules/unblinding/unblinding-reveal.service.js';
import { UnblindingEscalation } from './modules/unblinding/unblinding-escalation.js';
import { EmergencyCardService } from './modules/unblinding/emergency-card.service.js';
import { MailOutbox } from './modules/notifications/mail-outbox.js';
import { NotificationsController } from './modules/notifications/notifications.controller.js';
import { NotificationsService } from './modules/notifications/notifications.service.js';
import { ExportsController } from './modules/exports/exports.controller.js';
import { ExportsService } from './modules/exports/exports.service.js';
import { SafetyController } from './modules/safety/safety.controller.js';
import { SafetyUnblindingService } from './modules/safety/safety-unblinding.service.js';
import { InadvertentUnblindingService } from './modules/safety/inadvertent-unblinding.service.js';
import { DisclosureService } from './modules/safety/disclosure.service.js';
import { EnvelopesController } from './modules/envelopes/envelopes.controller.js';
import { EnvelopesService } from './modules/envelopes/envelopes.service.js';
import { QualificationController } from './modules/qualification/qualification.controller.js';
import { QualificationService } from './modules/qualification/qualification.service.js';
import { CORE_SIGNED_RECORDS, SIGNED_RECORD_LOADERS } from './modules/signatures/signed-records.js';
import { ENVELOPE_SIGNED_RECORDS } from './modules/envelopes/envelope-signed-records.js';
import { SAFETY_SIGNED_RECORDS } from './modules/safety/safety-signed-records.js';
import { AccessReviewController } from './modules/access-review/access-review.controller.js';
import { AccessReviewService } from './modules/access-review/access-review.service.js';
import { AccessReviewReminder } from './modules/access-review/access-review-reminder.js';
import { ACCESS_REVIEW_SIGNED_RECORDS } from './modules/access-review/access-review-signed-records.js';

export const FEATURE_CONTROLLERS: Type<unknown>[] = [
  StudyController,
  StudyLifecycleController,
  ParticipantsController,
  RandomizationController,
  PharmacyController,
  AllocationLogController,
  UnblindingController,
  NotificationsController,
  ExportsController,
  SafetyController,
  EnvelopesController,
  QualificationController,
  AccessReviewController,
];
export const FEATURE_PROVIDERS: Provider[] = [
  // How SignatureService rebuilds each kind of signed record for verification (signatures/signed-records.ts).
  {
    provide: SIGNED_RECORD_LOADERS,
    useValue: {
      ...SAFETY_SIGNED_RECORDS,
      ...CORE_SIGNED_RECORDS,
      ...ENVELOPE_SIGNED_RECORDS,
      ...ACCESS_REVIEW_SIGNED_RECORDS,
    },
  },
  ProtocolService,
  StudyService,
  RehearsalService,
  SimulationService,
  ParticipantsService,
  RandomizationService,
  PharmacyService,
  PharmacyNotices,
  AllocationLogService,
  MailOutbox,
  NotificationsService,
  UnblindingRequestsService,
  UnblindingRevealService,
  UnblindingEscalation,
  EmergencyCardService,
  StudyLifecycleService,
  ExportsService,
  SafetyUnblindingService,
  InadvertentUnblindingService,
  DisclosureService,
  EnvelopesService,
  QualificationService,
  AccessReviewService,
  AccessReviewReminder,
  BlindingIncidents,
  ErrorBodyGuard,
  { provide: APP_INTERCEPTOR, useClass: NeutralTextInterceptor },
  { provide: APP_INTERCEPTOR, useClass: BlindingInterceptor },
];

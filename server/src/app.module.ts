/**
 * The application's modules, built around the loaded configuration and signing key so that nothing
 * half-starts: config → key (start-up checks) → Nest, whose TypeOrmModule opens and migrates the
 * database before any service is created (database/database.module.ts).
 */
import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import type { AppConfig } from './config/config.js';
import { AuthGuard } from './http/auth.guard.js';
import { StudyAccess } from './http/study-access.js';
import { StudiesController } from './modules/studies/studies.controller.js';
import { StudiesService } from './modules/studies/studies.service.js';
import { StudyCreationService } from './modules/studies/study-creation.service.js';
import { StudyMembersController } from './modules/studies/study-members.controller.js';
import { StudyMembersService } from './modules/studies/study-members.service.js';
import { Clock } from './common/clock.js';
import { ErrorFilter } from './http/error.filter.js';
import { DatabaseService } from './database/database.service.js';
import { databaseModules } from './database/database.module.js';
import { ConfigModule } from './config/config.module.js';
import { AuditController } from './modules/audit/audit.controller.js';
import { InstanceAuditController } from './modules/audit/instance-audit.controller.js';
import { AuditService } from './modules/audit/audit.service.js';
import { AuditWriter } from './database/audit/audit-writer.js';
import { SigningKey } from './database/audit/signing-key.js';
import { AuthController } from './modules/auth/auth.controller.js';
import { AuthService } from './modules/auth/auth.service.js';
import { SecondFactorController } from './modules/auth/second-factor.controller.js';
import { SecondFactorService } from './modules/auth/second-factor.service.js';
import { HealthController } from './modules/health/health.controller.js';
import { SignatureService } from './modules/signatures/signature.service.js';
import { SignaturesController } from './modules/signatures/signatures.controller.js';
import { SitesController } from './modules/sites/sites.controller.js';
import { SitesService } from './modules/sites/sites.service.js';
import { UsersController } from './modules/users/users.controller.js';
import { UsersService } from './modules/users/users.service.js';
import { PasswordLinks } from './modules/auth/password-links.js';
import { RoleGrantsController } from './modules/users/role-grants.controller.js';
import { RoleGrantsService } from './modules/users/role-grants.service.js';
import { OidcController } from './modules/oidc/oidc.controller.js';
import { OidcService } from './modules/oidc/oidc.service.js';
import { OidcLinksController } from './modules/oidc/oidc-links.controller.js';
import { OidcLinksService } from './modules/oidc/oidc-links.service.js';
import { ReauthTickets } from './modules/auth/reauth-tickets.js';
import { FEATURE_CONTROLLERS, FEATURE_PROVIDERS } from './features.js';
import { APP_FACTORY, type AppFactory } from './modules/qualification/throwaway-instance.js';

@Module({})
export class AppModule {
  static build(config: AppConfig, key: SigningKey, createApp: AppFactory): DynamicModule {
    const core: Provider[] = [
      { provide: Clock, useValue: new Clock() },
      { provide: SigningKey, useValue: key },
      // How qualification starts its throwaway instance (create-app.ts passes itself: the app contains qualification).
      { provide: APP_FACTORY, useValue: createApp },
      AuditWriter,
      DatabaseService,
    ];
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        ...databaseModules(config),
        ThrottlerModule.forRoot({
          throttlers: [{ name: 'default', ttl: 60_000, limit: config.authThrottlePerMinute }],
        }),
      ],
      controllers: [
        HealthController,
        AuthController,
        SecondFactorController,
        OidcController,
        OidcLinksController,
        UsersController,
        RoleGrantsController,
        SitesController,
        StudiesController,
        StudyMembersController,
        AuditController,
        InstanceAuditController,
        SignaturesController,
        ...FEATURE_CONTROLLERS,
      ],
      providers: [
        ...core,
        AuthService,
        StudyAccess,
        SecondFactorService,
        UsersService,
        PasswordLinks,
        RoleGrantsService,
        OidcService,
        OidcLinksService,
        ReauthTickets,
        SitesService,
        StudiesService,
        StudyCreationService,
        StudyMembersService,
        AuditService,
        SignatureService,
        ...FEATURE_PROVIDERS,
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: ErrorFilter },
      ],
    };
  }
}

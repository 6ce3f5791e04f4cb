import { Injectable } from '@nestjs/common';
import type { SiteView } from '../../../../shared/contract.js';
import { DomainError, notFound } from '../../common/domain-error.js';
import type { Actor } from '../../common/viewer.js';
import { DatabaseService } from '../../database/database.service.js';
import { isUniqueViolation } from '../../database/sql.js';
import { changesBetween } from '../../common/changes.js';
import type { CreateSiteDto, UpdateSiteDto } from './sites.dto.js';
import { SitesRepository } from './sites.repository.js';

@Injectable()
export class SitesService {
  constructor(private readonly db: DatabaseService) {}

  list(): Promise<SiteView[]> {
    return this.db.read((sql) => SitesRepository.list(sql));
  }

  async create(actor: Actor, input: CreateSiteDto): Promise<SiteView> {
    return this.db.instanceWrite(actor, async (tx) => {
      const site: SiteView = { code: input.code, name: input.name, active: true, locale: input.locale ?? null };
      try {
        await SitesRepository.insert(tx.sql, site, tx.now);
      } catch (err) {
        if (isUniqueViolation(err)) throw new DomainError('DUPLICATE', `Site "${input.code}" already exists.`);
        throw err;
      }
      tx.audit({ action: 'site.created', entityType: 'site', entityId: site.code, details: { site } });
      return site;
    });
  }

  async update(actor: Actor, code: string, patch: UpdateSiteDto): Promise<SiteView> {
    return this.db.instanceWrite(actor, async (tx) => {
      const before = await SitesRepository.find(tx.sql, code);
      if (!before) throw notFound('The site');
      const after: SiteView = {
        ...before,
        name: patch.name ?? before.name,
        active: patch.active ?? before.active,
        locale: patch.locale === undefined ? before.locale : patch.locale,
      };
      const changes = changesBetween(before, after, ['name', 'active', 'locale']);
      if (Object.keys(changes).length === 0)
        throw new DomainError('VALIDATION_FAILED', 'Nothing to change: every value is already as given.');
      await SitesRepository.update(tx.sql, after, tx.now);
      tx.audit({
        action: 'site.updated',
        entityType: 'site',
        entityId: code,
        reason: patch.reason ?? null,
        details: { changes },
      });
      return after;
    });
  }
}

import type { RunQualificationInput } from '../../../../shared/contract.js';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional } from 'class-validator';

export class RunQualificationDto implements RunQualificationInput {
  @ApiPropertyOptional({ description: 'Run the installation checks only (no throwaway study)' })
  @IsOptional()
  @IsBoolean()
  installationOnly?: boolean;
}

import type {
  PrintEnvelopesInput,
  ReconcileEnvelopeInput,
  ReserveEnvelopesInput,
  VoidEnvelopesInput,
} from '../../../../shared/contract.js';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { SignedDto } from '../../common/request.dto.js';

export class ReserveEnvelopesDto extends SignedDto implements ReserveEnvelopesInput {
  @ApiProperty({ description: 'The site the envelopes are printed for' })
  @IsString()
  @MaxLength(32)
  siteCode: string;

  @ApiProperty({
    description: 'Envelopes per stratum (1–20); best a multiple of the block size',
    minimum: 1,
    maximum: 20,
  })
  @IsInt()
  @Min(1)
  @Max(20)
  count: number;

  @ApiPropertyOptional({ description: 'Stratum keys (default: every stratum of the site)', type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsString({ each: true })
  @MaxLength(200, { each: true })
  strata?: string[];
}

export class PrintEnvelopesDto implements PrintEnvelopesInput {
  @ApiProperty({
    enum: ['investigator', 'pharmacy'],
    description: 'investigator: code under the seal, no arm; pharmacy: with the arm (unblinded roles only)',
  })
  @IsIn(['investigator', 'pharmacy'])
  copy: 'investigator' | 'pharmacy';

  @ApiPropertyOptional({
    type: [String],
    description: 'Envelope ids (default: every unused envelope you may see, or of siteCode)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @IsUUID('4', { each: true })
  envelopeIds?: string[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(32)
  siteCode?: string;
}

export class ReconcileEnvelopeDto extends SignedDto implements ReconcileEnvelopeInput {
  @ApiProperty({ description: 'The patient, registered with the screening answers recorded on paper' })
  @IsUUID()
  participantId: string;

  @ApiProperty({ description: 'The number printed on the envelope' })
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  envelopeNumber: number;

  @ApiProperty({ description: 'The treatment code read under the seal' })
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  treatmentCode: string;

  @ApiProperty({ description: 'When the envelope was opened (UTC ISO-8601)' })
  @IsISO8601({ strict: true })
  @Matches(/Z$/, { message: 'openedAt must be a UTC time ending in Z' })
  openedAt: string;

  @ApiProperty({ description: 'Who opened it (printed name)' })
  @IsString()
  @MinLength(2)
  @MaxLength(200)
  openedBy: string;
}

export class VoidEnvelopesDto extends SignedDto implements VoidEnvelopesInput {
  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @IsUUID('4', { each: true })
  envelopeIds?: string[];

  @ApiPropertyOptional({ description: 'Void every unused envelope of this site' })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  siteCode?: string;

  @ApiProperty({ description: 'Why (kept in the audit trail). Must not name an arm or product.' })
  @IsString()
  @MinLength(3)
  @MaxLength(2000)
  reason: string;
}

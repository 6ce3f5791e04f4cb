/**
 * Request bodies and queries that several features share (a signature, a list's format). Here, below
 * the features, so that no feature imports another's DTO file.
 */
import type { SignatureInput } from '../../../shared/contract.js';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

export class SignatureDto implements SignatureInput {
  @ApiProperty({ description: 'The signer re-enters their password (empty with reauthTicket)' })
  @IsString()
  @ValidateIf((o: SignatureDto) => !o.reauthTicket)
  @MinLength(1)
  @MaxLength(256)
  password: string;

  @ApiPropertyOptional({
    description:
      'An account of the identity provider: the single-use ticket of a fresh login there, instead of a password',
  })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  reauthTicket?: string;

  @ApiPropertyOptional({ description: 'The meaning of the signature; a default per action is used when absent' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  meaning?: string;

  @ApiPropertyOptional({
    description: 'The authenticator code (or a recovery code): needed for the first signature of a session',
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  totp?: string;
}

export class SignedDto {
  @ApiProperty({ type: SignatureDto })
  @IsObject()
  @ValidateNested()
  @Type(() => SignatureDto)
  signature: SignatureDto;
}

export class ListQueryDto {
  @ApiPropertyOptional({ enum: ['json', 'csv'] })
  @IsOptional()
  @IsString()
  @Matches(/^(json|csv)$/, { message: 'format must be json or csv' })
  format?: 'json' | 'csv';
}

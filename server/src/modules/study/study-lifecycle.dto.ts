import type { ActivateInput, LockStudyInput, UnblindStudyInput } from '../../../../shared/contract.js';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsObject, IsOptional, IsString, Matches, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { SignatureDto, SignedDto } from '../../common/request.dto.js';

export class LockStudyDto extends SignedDto implements LockStudyInput {
  @ApiPropertyOptional({ description: 'Why the database is locked now (kept in the audit trail)' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  reason?: string;
}

/** The second statistician's co-signature, typed in on the same screen (both re-authenticate). */
export class CoSignatureDto {
  @ApiProperty({ description: 'Username of a second, different statistician' })
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9._-]{1,63}$/, { message: 'secondSignature.username must be a username' })
  username: string;

  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(256)
  password: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(500)
  meaning?: string;

  @ApiPropertyOptional({ description: "The second statistician's authenticator code (a co-signer always gives one)" })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  totp?: string;
}

export class UnblindStudyDto implements UnblindStudyInput {
  @ApiProperty({ type: SignatureDto, description: "The calling statistician's signature" })
  @IsObject()
  @ValidateNested()
  @Type(() => SignatureDto)
  signature: SignatureDto;

  @ApiProperty({ type: CoSignatureDto, description: "A second, different statistician's co-signature" })
  @IsObject()
  @ValidateNested()
  @Type(() => CoSignatureDto)
  secondSignature: CoSignatureDto;
}

export class ActivateDto extends SignedDto implements ActivateInput {
  @ApiPropertyOptional({
    description:
      "Required when the latest rehearsal of the draft had warnings (e.g. a stratum's list ran out): why activate anyway. Signed and audited.",
  })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  overrideReason?: string;
}

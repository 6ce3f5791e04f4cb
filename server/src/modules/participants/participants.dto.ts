import type { CorrectionInput, RegisterParticipantInput } from '../../../../shared/contract.js';
import { ApiProperty } from '@nestjs/swagger';
import { IsDefined, IsObject, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { SignedDto } from '../../common/request.dto.js';
export class RegisterParticipantDto implements RegisterParticipantInput {
  @ApiProperty({ example: 'A' })
  @IsString()
  @MaxLength(32)
  siteCode: string;

  @ApiProperty({ example: 'A-001' })
  @IsString()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, {
    message: 'screeningNumber must be 1–64 letters, digits, dots, dashes or underscores',
  })
  screeningNumber: string;

  @ApiProperty({
    description: 'Answers to the stratification questions, by question id',
    example: { course: 'RRMS', edss: 4.5 },
  })
  @IsObject()
  factors: Record<string, unknown>;

  @ApiProperty({ description: 'Answers to the eligibility questions, by question id' })
  @IsObject()
  eligibility: Record<string, unknown>;
}

export class CorrectionDto extends SignedDto implements CorrectionInput {
  @ApiProperty({ description: 'A screening question id, or `randomizedInError`' })
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  field: string;

  @ApiProperty({ description: 'The corrected value' })
  @IsDefined()
  newValue: unknown;

  @ApiProperty()
  @IsString()
  @MinLength(3)
  @MaxLength(2000)
  reason: string;
}

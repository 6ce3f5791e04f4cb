import type {
  ConfirmSecondFactorInput,
  LastStudyInput,
  LoginInput,
  ResetSecondFactorInput,
  SetPasswordInput,
  UpdateMeInput,
} from '../../../../shared/contract.js';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { LOCALES, type Locale } from '../../../../shared/i18n/catalogue.js';
import { LOCALE_MESSAGE } from '../accounts/locale.js';

export class LoginDto implements LoginInput {
  @ApiProperty({ example: 'investigator1' })
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  username: string;

  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(256)
  password: string;

  @ApiPropertyOptional({ description: 'The authenticator code, or a recovery code (accounts with a second factor)' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  totp?: string;
}

export class SetPasswordDto implements SetPasswordInput {
  @ApiProperty({ description: 'The token from the one-time link' })
  @IsString()
  @MinLength(10)
  @MaxLength(200)
  token: string;

  @ApiProperty({ minLength: 8 })
  @IsString()
  @MinLength(8)
  @MaxLength(256)
  password: string;
}

/** PATCH /api/auth/me: what a signed-in person may change about themselves. */
export class UpdateMeDto implements UpdateMeInput {
  @ApiProperty({
    enum: LOCALES,
    nullable: true,
    description: "Language of the console, notifications and e-mails (null: the site's)",
  })
  @IsIn([...LOCALES, null], { message: LOCALE_MESSAGE })
  locale: Locale | null;
}

/** PUT /api/auth/me/last-study. */
export class LastStudyDto implements LastStudyInput {
  @ApiProperty({ example: 'MSC-CROSSOVER' })
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  studyCode: string;
}

export class ConfirmSecondFactorDto implements ConfirmSecondFactorInput {
  @ApiProperty({ description: 'The code the authenticator app shows now', example: '123456' })
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  code: string;
}

export class ResetSecondFactorDto implements ResetSecondFactorInput {
  @ApiProperty({ description: 'Why the second factor is reset (kept in the audit trail)' })
  @IsString()
  @MinLength(3)
  @MaxLength(2000)
  reason: string;
}

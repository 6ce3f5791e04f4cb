import type { CreateSiteInput, UpdateSiteInput } from '../../../../shared/contract.js';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { LOCALES } from '../../../../shared/i18n/catalogue.js';

const LOCALE_MESSAGE = `locale must be one of ${LOCALES.join(', ')} (or null: the instance default)`;

export class CreateSiteDto implements CreateSiteInput {
  @ApiProperty({ example: 'C' })
  @IsString()
  @Matches(/^[A-Z0-9][A-Z0-9_-]{0,31}$/, {
    message: 'code must be 1–32 capital letters, digits, dashes or underscores',
  })
  code: string;

  @ApiProperty({ example: 'Site C — University Hospital' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @ApiPropertyOptional({
    enum: LOCALES,
    nullable: true,
    description: "Language of the site's staff (null: DEFAULT_LOCALE)",
  })
  @IsOptional()
  @IsIn(LOCALES as unknown as string[], { message: LOCALE_MESSAGE })
  locale?: 'en' | 'fr' | null;
}

export class UpdateSiteDto implements UpdateSiteInput {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ description: 'false closes the site to new patients (sites are never deleted)' })
  @IsOptional()
  @IsBoolean()
  active?: boolean;

  @ApiPropertyOptional({
    enum: LOCALES,
    nullable: true,
    description: "Language of the site's staff (null: DEFAULT_LOCALE)",
  })
  @IsOptional()
  @IsIn(LOCALES as unknown as string[], { message: LOCALE_MESSAGE })
  locale?: 'en' | 'fr' | null;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  reason?: string;
}

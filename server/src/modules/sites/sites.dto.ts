import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';

export class CreateSiteDto {
  @ApiProperty({ example: 'C' })
  @IsString()
  @Matches(/^[A-Z0-9][A-Z0-9_-]{0,31}$/, { message: 'code must be 1–32 capital letters, digits, dashes or underscores' })
  code: string;

  @ApiProperty({ example: 'Site C — University Hospital' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;
}

export class UpdateSiteDto {
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

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  reason?: string;
}

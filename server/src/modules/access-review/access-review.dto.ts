import type { AccessReviewInput } from '../../../../shared/contract.js';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsObject, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { SignatureDto } from '../../common/request.dto.js';

export class AccessReviewDto implements AccessReviewInput {
  @ApiProperty({
    description: 'The contentHash of the report the reviewer read (GET /api/studies/:studyCode/access-review)',
  })
  @IsString()
  @Matches(/^[0-9a-f]{64}$/, { message: 'contentHash must be the 64 hex digits of the report read' })
  contentHash: string;

  @ApiProperty({ description: 'Findings and actions' })
  @IsString()
  @MaxLength(4000)
  conclusion: string;

  @ApiPropertyOptional({ description: 'Days until the next review (default ACCESS_REVIEW_INTERVAL_DAYS, 90)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(366)
  nextReviewDays?: number;

  @ApiProperty({ type: SignatureDto })
  @IsObject()
  @ValidateNested()
  @Type(() => SignatureDto)
  signature: SignatureDto;
}

import type { InadvertentInput, SafetyUnblindingInput } from '../../../../shared/contract.js';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import { SignedDto } from '../../common/request.dto.js';

export class CreateSafetyUnblindingDto extends SignedDto implements SafetyUnblindingInput {
  @ApiProperty({ description: 'A randomized patient of one of your sites' })
  @IsUUID()
  participantId: string;

  @ApiProperty({
    description:
      'The safety reason (e.g. suspected unexpected serious adverse reaction). Read by blinded people: must not name an arm or product.',
    minLength: 5,
  })
  @IsString()
  @MinLength(5)
  @MaxLength(2000)
  reason: string;

  @ApiPropertyOptional({ description: "The safety report's own reference (e.g. the CIOMS/E2B case number)" })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  reportReference?: string;
}

const TEXT = { minLength: 3, maxLength: 4000 };

export class CreateInadvertentReportDto extends SignedDto implements InadvertentInput {
  @ApiProperty({
    description: 'The patients whose allocation was disclosed (1–50; investigators: patients of their own sites)',
    type: [String],
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  participantIds: string[];

  @ApiProperty({ description: 'The day it happened, YYYY-MM-DD (not in the future)' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  occurredOn: string;

  @ApiProperty({
    description: 'How it happened. Checked like every free text: must not name an arm or product.',
    ...TEXT,
  })
  @IsString()
  @MinLength(TEXT.minLength)
  @MaxLength(TEXT.maxLength)
  howItHappened: string;

  @ApiProperty({ description: 'Who was unblinded (names and roles)', ...TEXT })
  @IsString()
  @MinLength(TEXT.minLength)
  @MaxLength(TEXT.maxLength)
  whoWasUnblinded: string;

  @ApiProperty({ description: 'Impact assessment on the trial and the patient', ...TEXT })
  @IsString()
  @MinLength(TEXT.minLength)
  @MaxLength(TEXT.maxLength)
  impactAssessment: string;

  @ApiProperty({ description: 'Corrective and preventive action', ...TEXT })
  @IsString()
  @MinLength(TEXT.minLength)
  @MaxLength(TEXT.maxLength)
  correctiveAction: string;
}

export class DisclosureQueryDto {
  @ApiPropertyOptional({ description: 'One site code (default: every site you may see)' })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  site?: string;
}

import type { DispensationInput } from '../../../../shared/contract.js';
import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsString, IsUUID, Matches, Max, Min } from 'class-validator';
import { SignedDto } from '../../common/request.dto.js';
import { LOT_NUMBER } from '../../../../shared/field-formats.js';

export class DispensationDto extends SignedDto implements DispensationInput {
  @ApiProperty()
  @IsUUID()
  participantId: string;

  @ApiProperty({ example: 1 })
  @IsInt()
  @Min(1)
  @Max(20)
  period: number;

  @ApiProperty({ example: 'MSC-LOT-2026-014', description: 'The cell lot, or the placebo medium lot' })
  @IsString()
  @Matches(LOT_NUMBER, { message: 'lotNumber must be 1–64 letters, digits, dots, dashes, slashes or underscores' })
  lotNumber: string;
}

import type { DecisionInput, UnblindingRequestInput } from '../../../../shared/contract.js';
import { ApiProperty } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { SignedDto } from '../../common/request.dto.js';

export class CreateUnblindingRequestDto extends SignedDto implements UnblindingRequestInput {
  @ApiProperty({ description: 'A randomized patient of one of your sites' })
  @IsUUID()
  participantId: string;

  @ApiProperty({
    description: 'The clinical reason (kept in the audit trail and the register). Must not name an arm or product.',
    minLength: 5,
  })
  @IsString()
  @MinLength(5)
  @MaxLength(2000)
  reason: string;

  @ApiProperty({
    description: "A medical emergency (flags the notifications as urgent); the protocol's policy decides the flow",
  })
  @IsBoolean()
  emergency: boolean;
}

export class UnblindingDecisionDto extends SignedDto implements DecisionInput {
  @ApiProperty({
    description:
      'true approves, false denies. On a break-the-glass request: the after-the-fact review (true = justified)',
  })
  @IsBoolean()
  approve: boolean;

  @ApiProperty({ description: 'Why (kept with the signed decision). Must not name an arm or product.', minLength: 1 })
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  comment: string;
}

export class UnblindingListQueryDto {
  @IsOptional()
  @IsUUID()
  participantId?: string;
}

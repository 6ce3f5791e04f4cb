import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import type { OidcHandoffInput, OidcLinkInput } from '../../../../shared/contract.js';

export class OidcHandoffDto implements OidcHandoffInput {
  @ApiProperty({ description: 'The one-time code from the console URL after the provider sent the person back' })
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  code: string;
}

export class OidcLinkDto implements OidcLinkInput {
  @ApiProperty({ description: "The person's subject (`sub` claim) at the identity provider" })
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  subject: string;
}

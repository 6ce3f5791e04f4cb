import type { CreateStudyInput, GrantStudyRoleInput } from '../../../../shared/contract.js';
import { ROLES, type Role } from '../../../../shared/roles.js';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { SignatureDto } from '../../common/request.dto.js';
import { CoSignatureDto } from '../study/study-lifecycle.dto.js';

export class CreateStudyDto implements CreateStudyInput {
  @ApiProperty({
    description: 'The protocol file (YAML text, format of protocols/README.md); study.code names the study',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(200_000)
  protocolYaml: string;

  @ApiProperty({ type: SignatureDto, description: "The calling instance admin's signature" })
  @IsObject()
  @ValidateNested()
  @Type(() => SignatureDto)
  signature: SignatureDto;

  @ApiProperty({
    type: CoSignatureDto,
    description:
      "The co-signature of the person who becomes the new study's trial statistician (their username, password and authenticator code)",
  })
  @IsObject()
  @ValidateNested()
  @Type(() => CoSignatureDto)
  secondSignature: CoSignatureDto;
}

export class GrantStudyRoleDto implements GrantStudyRoleInput {
  @ApiProperty({ example: 'investigator3' })
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9._-]{1,63}$/, { message: 'username must be a username' })
  username: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES as unknown as string[])
  role: Role;

  @ApiPropertyOptional({ type: [String], description: "An investigator's sites in this study (at least one)" })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MaxLength(40, { each: true })
  siteCodes?: string[];

  @ApiPropertyOptional({ description: 'Why the role is given (kept in the audit trail)' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  reason?: string;
}

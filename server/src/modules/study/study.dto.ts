import type { ImportSchemeInput, RehearsalInput, SchemeInput, SimulationInput } from '../../../../shared/contract.js';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsObject, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';

export class GenerateSchemeDto implements SchemeInput {
  @ApiProperty({ example: 'permuted-block' })
  @IsString()
  @MaxLength(32)
  method: string;

  @ApiPropertyOptional({ example: { blockSizes: [2, 4] } })
  @IsOptional()
  @IsObject()
  params?: Record<string, unknown>;

  @ApiPropertyOptional({
    description:
      'An optional phrase mixed into the seed. The server always draws 256 random bits and the phrase is hashed together with them: it is never the seed, and knowing it does not make the list guessable',
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  seedPhrase?: string;

  @ApiPropertyOptional({
    deprecated: true,
    description:
      "Former name of seedPhrase; treated exactly like it (mixed with the server's random bits, never used alone)",
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  seed?: string;

  @ApiPropertyOptional({ description: "Entries per stratum (default: the protocol's listLengthPerStratum)" })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10000)
  listLength?: number;

  @ApiPropertyOptional({ description: 'Decide allocations at randomization time (dynamic methods always do)' })
  @IsOptional()
  @IsBoolean()
  live?: boolean;
}

export class ImportSchemeDto implements ImportSchemeInput {
  @ApiProperty({ description: 'The list as CSV (header: stratum,position,arm,treatmentCode)' })
  @IsString()
  @MinLength(1)
  @MaxLength(5_000_000)
  csv: string;
}

export class RehearsalDto implements RehearsalInput {
  @ApiProperty({ description: 'Synthetic patients to randomize on a throwaway copy of the scheme' })
  @IsInt()
  @Min(1)
  @Max(100000)
  patients: number;

  @ApiPropertyOptional({ description: "Seed for the synthetic patients' answers" })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  seed?: string;
}

export class SimulationDto implements SimulationInput {
  @ApiProperty({ example: 'biased-coin' })
  @IsString()
  @MaxLength(32)
  method: string;

  @ApiPropertyOptional({ example: { p: 2 / 3 } })
  @IsOptional()
  @IsObject()
  params?: Record<string, unknown>;

  @ApiProperty({ example: 100 })
  @IsInt()
  @Min(1)
  @Max(100000)
  n: number;

  @ApiProperty({ example: 1000 })
  @IsInt()
  @Min(1)
  @Max(1000000)
  trials: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  seed?: string;
}

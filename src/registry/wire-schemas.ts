// One zod schema per wire payload, each with the spec it follows.
import { z } from 'zod';

// https://distribution.github.io/distribution/spec/auth/token/#token-response-fields
export const TokenResponseSchema = z.object({
  token: z.string().optional(),
  access_token: z.string().optional(),
  expires_in: z.number().optional(),
  issued_at: z.string().optional(),
  refresh_token: z.string().optional(),
});
export type TokenResponse = z.infer<typeof TokenResponseSchema>;

// The `access` claim of a registry JWT: https://distribution.github.io/distribution/spec/auth/jwt/
export const JwtAccessSchema = z.object({
  type: z.string(),
  name: z.string(),
  actions: z.array(z.string()),
});
export type JwtAccess = z.infer<typeof JwtAccessSchema>;
export const JwtAccessClaimsSchema = z.object({ access: z.array(JwtAccessSchema).nullish() });

// https://github.com/opencontainers/distribution-spec/blob/main/spec.md#error-codes
export const ErrorBodySchema = z.object({
  errors: z.array(
    z.object({
      code: z.string().optional(),
      message: z.string().optional(),
      detail: z.unknown().optional(),
    }),
  ),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

/** Just enough of a manifest to tell its kind when Content-Type is missing or generic. */
export const ManifestProbeSchema = z.object({
  schemaVersion: z.number().optional(),
  mediaType: z.string().optional(),
  manifests: z.array(z.unknown()).optional(),
  config: z.unknown().optional(),
});

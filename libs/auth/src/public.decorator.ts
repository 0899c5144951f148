import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC_KEY = 'isPublic';

export interface PublicOptions {
  /** Still identify a caller who sends credentials (answers can then be personal); never required. */
  identifyCaller?: boolean;
}

/** Marks a route (or controller) as reachable without authentication. */
export const Public = (options: PublicOptions = {}) => SetMetadata(IS_PUBLIC_KEY, { identifyCaller: options.identifyCaller ?? false });

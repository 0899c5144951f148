import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Injectable } from '@nestjs/common';

interface Asset {
  body: Buffer;
  contentType: string;
  etag: string;
}

const CONTENT_TYPES: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'dashboard.js': 'text/javascript; charset=utf-8',
  'dashboard.css': 'text/css; charset=utf-8',
  'favicon.svg': 'image/svg+xml',
};

/** The dashboard's files, read once at boot from `public/` beside this module (copied to dist by the build). */
@Injectable()
export class DashboardAssets {
  private readonly assets = new Map<string, Asset>(
    Object.entries(CONTENT_TYPES).map(([name, contentType]) => {
      const body = readFileSync(new URL(`./public/${name}`, import.meta.url));
      return [name, { body, contentType, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"` }];
    }),
  );

  has(name: string): boolean {
    return this.assets.has(name);
  }

  get(name: string): Asset {
    const asset = this.assets.get(name);
    if (!asset) throw new Error(`No dashboard asset ${name}`);
    return asset;
  }
}

import { Controller, Get, Header, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '@app/auth';
import { GatewayError } from '@app/common';
import { DashboardAssets } from './dashboard-assets.js';

/**
 * The usage dashboard's page and its three assets, served from memory. The page itself is public
 * (it holds no data); everything it shows comes from the authenticated JSON routes with the token
 * the viewer pastes. The policy allows only this origin's scripts, styles and requests.
 */
const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; " +
  "form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

@ApiExcludeController()
@Public()
@Controller('dashboard')
export class DashboardController {
  constructor(private readonly assets: DashboardAssets) {}

  @Get()
  @Header('content-security-policy', CONTENT_SECURITY_POLICY)
  page(@Res() reply: FastifyReply): void {
    this.send(reply, 'index.html');
  }

  @Get(':asset')
  @Header('content-security-policy', CONTENT_SECURITY_POLICY)
  asset(@Param('asset') name: string, @Res() reply: FastifyReply): void {
    if (name === 'index.html' || !this.assets.has(name)) throw new GatewayError('NOT_FOUND', `No dashboard asset ${name}`);
    this.send(reply, name);
  }

  private send(reply: FastifyReply, name: string): void {
    const asset = this.assets.get(name);
    void reply
      .header('content-type', asset.contentType)
      .header('cache-control', 'no-cache')
      .header('etag', asset.etag)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .send(asset.body);
  }
}

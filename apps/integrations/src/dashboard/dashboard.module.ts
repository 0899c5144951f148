import { Module } from '@nestjs/common';
import { DashboardAssets } from './dashboard-assets.js';
import { DashboardController } from './dashboard.controller.js';

/** GET /dashboard: the usage dashboard (static page; its data comes from the JSON routes). */
@Module({ controllers: [DashboardController], providers: [DashboardAssets] })
export class DashboardModule {}

import { Module } from '@nestjs/common';
import { ModelCatalog } from './model-catalog.js';

@Module({ providers: [ModelCatalog], exports: [ModelCatalog] })
export class CatalogModule {}

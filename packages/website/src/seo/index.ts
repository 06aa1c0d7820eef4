export {
  briefSummary,
  type PageEntry,
  renderLlmsTxt,
  renderRobots,
  renderSitemap,
  SITEMAP_NAMESPACE,
  sitemapUrl,
} from './artifacts.ts';
export {
  checkLlmsTxt,
  checkPageSeo,
  checkRobots,
  checkSeoArtifacts,
  checkSitemap,
  seoCriteria,
} from './check.ts';
export { escapeHtml, escapeXml, jsonForScript } from './escape.ts';
export { generateSeoArtifacts, type SeoInput, type SeoResult } from './generate.ts';
export { openGraphLocale, SEO_BLOCK_END, SEO_BLOCK_START, stripSeoBlock } from './head-block.ts';
export {
  jsonLdFor,
  type SchemaType,
  schemaDayOfWeek,
  schemaTypeByIndustry,
  schemaTypeFor,
} from './schema-org.ts';
export { normalizeBaseUrl, pageUrl } from './urls.ts';
export { parseXml, type XmlElement, XmlError } from './xml.ts';

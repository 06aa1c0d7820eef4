export { decodeEntities } from './entities.ts';
export { attributeOf, htmlValidateConfig, parseHtml, textOf } from './html.ts';
export { type ResolvedReference, resolveReference, targetFile } from './references.ts';
export { listSiteFiles, type SiteFiles } from './site-files.ts';
export {
  type ProblemCategory,
  type ProblemSeverity,
  problemCategory,
  type SiteProblem,
  type SiteValidation,
  siteRules,
  validateSite,
} from './validate-site.ts';

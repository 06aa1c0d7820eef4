export {
  type SiteOptions,
  type WebsiteHookOptions,
  websiteHookNames,
  websiteHooks,
} from './website-hooks.ts';

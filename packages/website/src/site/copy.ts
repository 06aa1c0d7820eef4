/**
 * The words the generator adds around the owner's facts: navigation, headings, calls to action.
 * English varies by industry and tone; a few other languages get one neutral set, and any other
 * language falls back to English. Nothing here states a fact about the business — no claims, no
 * numbers, no promises — so the intent audit never has to excuse template text.
 */
import type { Brief, Industry, Tone } from '../brief.ts';

/** What the services page is called, by industry. */
export type OfferingKind = 'menu' | 'services' | 'treatments' | 'products' | 'sessions';

export const OFFERING_BY_INDUSTRY: Record<Industry, OfferingKind> = {
  restaurant: 'menu',
  cafe: 'menu',
  trades: 'services',
  salon: 'services',
  health: 'treatments',
  photographer: 'sessions',
  retail: 'products',
  professional: 'services',
  other: 'services',
};

export interface Copy {
  /** Separator between the ends of a range of days or times ("Mon–Fri", "09:00–17:00"). */
  rangeSeparator: string;
  listSeparator: string;
  skipLink: string;
  mainNavLabel: string;
  footerNavLabel: string;
  home: string;
  offering: Record<OfferingKind, { nav: string; title: string; homeHeading: string; seeAll: string }>;
  about: { nav: string; title: string; heading: string; audienceHeading: string; more: string };
  contact: { nav: string; title: string; heading: string };
  hoursHeading: string;
  dayColumn: string;
  hoursColumn: string;
  closed: string;
  phoneLabel: string;
  emailLabel: string;
  addressLabel: string;
  findUsHeading: string;
  serviceAreaHeading: string;
  serviceAreaLead: string;
  mapLink: string;
  socialHeading: string;
  /** Precedes the phone number on call buttons ("Call 0113 496 0123"). */
  callAction: string;
  emailAction: string;
  visitAction: string;
  ctaHeading: string;
  ctaLead: string;
  priceLabel: string;
  notFound: { title: string; text: string; back: string };
}

type ToneGroup = 'warm' | 'formal' | 'bold';

const TONE_GROUP: Record<Tone, ToneGroup> = {
  friendly: 'warm',
  playful: 'warm',
  professional: 'formal',
  elegant: 'formal',
  bold: 'bold',
};

/** Headings for the closing call to action; `visit` ones are used only when there is an address. */
const EN_CTA: Record<Industry, Record<ToneGroup, string> & { visit?: boolean }> = {
  restaurant: {
    warm: 'Hungry? Come and eat with us',
    formal: 'We look forward to welcoming you',
    bold: 'Come hungry',
    visit: true,
  },
  cafe: {
    warm: 'Pull up a chair',
    formal: 'We look forward to seeing you',
    bold: 'The coffee’s on',
    visit: true,
  },
  trades: {
    warm: 'Need a hand? Get in touch',
    formal: 'Tell us about your job',
    bold: 'Got a job? Let’s talk',
  },
  salon: { warm: 'Ready for a fresh look?', formal: 'Arrange your next visit', bold: 'Time for a change?' },
  health: { warm: 'We’re here to help', formal: 'Arrange an appointment', bold: 'Take the first step' },
  photographer: {
    warm: 'Let’s plan your shoot',
    formal: 'Enquire about a session',
    bold: 'Let’s make pictures',
  },
  retail: {
    warm: 'Come and browse',
    formal: 'Visit the shop',
    bold: 'Come and see it in person',
    visit: true,
  },
  professional: { warm: 'Let’s talk', formal: 'Tell us how we can help', bold: 'Let’s get to work' },
  other: { warm: 'Say hello', formal: 'Get in touch', bold: 'Let’s talk' },
};

interface EnglishActions {
  email: string;
  visit: string;
  lead: string;
  phoneLead: string;
  emailLead: string;
}

const EN_ACTIONS: Record<ToneGroup, EnglishActions> = {
  warm: {
    email: 'Drop us an email',
    visit: 'Find us',
    lead: 'We’d love to hear from you — call or email, whichever suits you.',
    phoneLead: 'We’d love to hear from you — just give us a call.',
    emailLead: 'We’d love to hear from you — just drop us an email.',
  },
  formal: {
    email: 'Email us',
    visit: 'Find us',
    lead: 'Get in touch by phone or email.',
    phoneLead: 'Get in touch by phone.',
    emailLead: 'Get in touch by email.',
  },
  bold: {
    email: 'Email us',
    visit: 'Find us',
    lead: 'Pick up the phone or drop us a line.',
    phoneLead: 'Pick up the phone.',
    emailLead: 'Drop us a line.',
  },
};

const EN_OFFERING: Copy['offering'] = {
  menu: { nav: 'Menu', title: 'Menu', homeHeading: 'From the menu', seeAll: 'See the full menu' },
  services: { nav: 'Services', title: 'Services', homeHeading: 'What we do', seeAll: 'See all services' },
  treatments: {
    nav: 'Treatments',
    title: 'Treatments',
    homeHeading: 'Treatments',
    seeAll: 'See all treatments',
  },
  products: {
    nav: 'Products',
    title: 'What we sell',
    homeHeading: 'In the shop',
    seeAll: 'See everything we sell',
  },
  sessions: { nav: 'Sessions', title: 'Sessions', homeHeading: 'Sessions', seeAll: 'See all sessions' },
};

function englishCopy(
  industry: Industry,
  tone: Tone,
  hasAddress: boolean,
  has: { phone: boolean; email: boolean },
): Copy {
  const group = TONE_GROUP[tone];
  const cta = EN_CTA[industry];
  const ctaHeading = cta.visit && !hasAddress ? EN_CTA.other[group] : cta[group];
  const actions = EN_ACTIONS[group];
  return {
    rangeSeparator: '–',
    listSeparator: ', ',
    skipLink: 'Skip to content',
    mainNavLabel: 'Main',
    footerNavLabel: 'Footer',
    home: 'Home',
    offering: EN_OFFERING,
    about: {
      nav: 'About',
      title: group === 'formal' ? 'About us' : 'Our story',
      heading: 'About us',
      audienceHeading: 'Who we’re for',
      more: 'More about us',
    },
    contact: { nav: 'Contact', title: 'Contact', heading: 'Get in touch' },
    hoursHeading: 'Opening hours',
    dayColumn: 'Day',
    hoursColumn: 'Hours',
    closed: 'Closed',
    phoneLabel: 'Phone',
    emailLabel: 'Email',
    addressLabel: 'Address',
    findUsHeading: 'Find us',
    serviceAreaHeading: 'Where we work',
    serviceAreaLead: 'We cover:',
    mapLink: 'Open map',
    socialHeading: 'Follow us',
    callAction: 'Call',
    emailAction: actions.email,
    visitAction: actions.visit,
    ctaHeading,
    ctaLead: has.phone && has.email ? actions.lead : has.phone ? actions.phoneLead : actions.emailLead,
    priceLabel: 'Price',
    notFound: {
      title: 'Page not found',
      text: 'Sorry, there is no page at this address.',
      back: 'Back to the home page',
    },
  };
}

const JAPANESE: Copy = {
  rangeSeparator: '〜',
  listSeparator: '・',
  skipLink: '本文へスキップ',
  mainNavLabel: 'メイン',
  footerNavLabel: 'フッター',
  home: 'ホーム',
  offering: {
    menu: { nav: 'メニュー', title: 'メニュー', homeHeading: 'メニュー', seeAll: 'メニューをすべて見る' },
    services: { nav: 'サービス', title: 'サービス', homeHeading: 'サービス', seeAll: 'サービスをすべて見る' },
    treatments: {
      nav: '診療内容',
      title: '診療内容',
      homeHeading: '診療内容',
      seeAll: '診療内容をすべて見る',
    },
    products: { nav: '商品', title: '取扱商品', homeHeading: '取扱商品', seeAll: '商品をすべて見る' },
    sessions: {
      nav: '撮影プラン',
      title: '撮影プラン',
      homeHeading: '撮影プラン',
      seeAll: 'プランをすべて見る',
    },
  },
  about: {
    nav: '紹介',
    title: '私たちについて',
    heading: '私たちについて',
    audienceHeading: 'こんな方に',
    more: '詳しく見る',
  },
  contact: { nav: 'お問い合わせ', title: 'お問い合わせ', heading: 'お問い合わせ' },
  hoursHeading: '営業時間',
  dayColumn: '曜日',
  hoursColumn: '時間',
  closed: '定休日',
  phoneLabel: '電話',
  emailLabel: 'メール',
  addressLabel: '所在地',
  findUsHeading: 'アクセス',
  serviceAreaHeading: '対応エリア',
  serviceAreaLead: '対応エリア：',
  mapLink: '地図を開く',
  socialHeading: 'SNS',
  callAction: '電話',
  emailAction: 'メールする',
  visitAction: 'アクセス',
  ctaHeading: 'お気軽にお問い合わせください',
  ctaLead: 'お電話またはメールでどうぞ。',
  priceLabel: '料金',
  notFound: {
    title: 'ページが見つかりません',
    text: 'このアドレスのページはありません。',
    back: 'ホームに戻る',
  },
};

const FRENCH: Copy = {
  rangeSeparator: '–',
  listSeparator: ', ',
  skipLink: 'Aller au contenu',
  mainNavLabel: 'Principale',
  footerNavLabel: 'Pied de page',
  home: 'Accueil',
  offering: {
    menu: { nav: 'Menu', title: 'Menu', homeHeading: 'À la carte', seeAll: 'Voir tout le menu' },
    services: {
      nav: 'Services',
      title: 'Services',
      homeHeading: 'Nos services',
      seeAll: 'Voir tous les services',
    },
    treatments: { nav: 'Soins', title: 'Soins', homeHeading: 'Nos soins', seeAll: 'Voir tous les soins' },
    products: {
      nav: 'Produits',
      title: 'Nos produits',
      homeHeading: 'En boutique',
      seeAll: 'Voir tous les produits',
    },
    sessions: { nav: 'Séances', title: 'Séances', homeHeading: 'Séances', seeAll: 'Voir toutes les séances' },
  },
  about: {
    nav: 'À propos',
    title: 'À propos',
    heading: 'À propos',
    audienceHeading: 'Pour qui',
    more: 'En savoir plus',
  },
  contact: { nav: 'Contact', title: 'Contact', heading: 'Nous contacter' },
  hoursHeading: 'Horaires',
  dayColumn: 'Jour',
  hoursColumn: 'Horaires',
  closed: 'Fermé',
  phoneLabel: 'Téléphone',
  emailLabel: 'Courriel',
  addressLabel: 'Adresse',
  findUsHeading: 'Nous trouver',
  serviceAreaHeading: 'Où nous intervenons',
  serviceAreaLead: 'Nous intervenons à :',
  mapLink: 'Ouvrir la carte',
  socialHeading: 'Suivez-nous',
  callAction: 'Appeler le',
  emailAction: 'Écrivez-nous',
  visitAction: 'Nous trouver',
  ctaHeading: 'Au plaisir de vous lire',
  ctaLead: 'Contactez-nous par téléphone ou par courriel.',
  priceLabel: 'Prix',
  notFound: {
    title: 'Page introuvable',
    text: 'Désolé, aucune page ne se trouve à cette adresse.',
    back: 'Retour à l’accueil',
  },
};

const GERMAN: Copy = {
  rangeSeparator: '–',
  listSeparator: ', ',
  skipLink: 'Zum Inhalt springen',
  mainNavLabel: 'Hauptmenü',
  footerNavLabel: 'Fußzeile',
  home: 'Start',
  offering: {
    menu: {
      nav: 'Speisekarte',
      title: 'Speisekarte',
      homeHeading: 'Aus der Karte',
      seeAll: 'Ganze Karte ansehen',
    },
    services: {
      nav: 'Leistungen',
      title: 'Leistungen',
      homeHeading: 'Unsere Leistungen',
      seeAll: 'Alle Leistungen',
    },
    treatments: {
      nav: 'Behandlungen',
      title: 'Behandlungen',
      homeHeading: 'Behandlungen',
      seeAll: 'Alle Behandlungen',
    },
    products: {
      nav: 'Sortiment',
      title: 'Sortiment',
      homeHeading: 'Im Laden',
      seeAll: 'Ganzes Sortiment ansehen',
    },
    sessions: { nav: 'Shootings', title: 'Shootings', homeHeading: 'Shootings', seeAll: 'Alle Shootings' },
  },
  about: {
    nav: 'Über uns',
    title: 'Über uns',
    heading: 'Über uns',
    audienceHeading: 'Für wen',
    more: 'Mehr über uns',
  },
  contact: { nav: 'Kontakt', title: 'Kontakt', heading: 'Kontakt' },
  hoursHeading: 'Öffnungszeiten',
  dayColumn: 'Tag',
  hoursColumn: 'Zeiten',
  closed: 'Geschlossen',
  phoneLabel: 'Telefon',
  emailLabel: 'E-Mail',
  addressLabel: 'Adresse',
  findUsHeading: 'So finden Sie uns',
  serviceAreaHeading: 'Einsatzgebiet',
  serviceAreaLead: 'Wir sind unterwegs in:',
  mapLink: 'Karte öffnen',
  socialHeading: 'Folgen Sie uns',
  callAction: 'Anrufen',
  emailAction: 'E-Mail schreiben',
  visitAction: 'Anfahrt',
  ctaHeading: 'Wir freuen uns auf Sie',
  ctaLead: 'Erreichen Sie uns per Telefon oder E-Mail.',
  priceLabel: 'Preis',
  notFound: {
    title: 'Seite nicht gefunden',
    text: 'Unter dieser Adresse gibt es leider keine Seite.',
    back: 'Zur Startseite',
  },
};

const SPANISH: Copy = {
  rangeSeparator: '–',
  listSeparator: ', ',
  skipLink: 'Saltar al contenido',
  mainNavLabel: 'Principal',
  footerNavLabel: 'Pie de página',
  home: 'Inicio',
  offering: {
    menu: { nav: 'Carta', title: 'Carta', homeHeading: 'De la carta', seeAll: 'Ver la carta completa' },
    services: {
      nav: 'Servicios',
      title: 'Servicios',
      homeHeading: 'Servicios',
      seeAll: 'Ver todos los servicios',
    },
    treatments: {
      nav: 'Tratamientos',
      title: 'Tratamientos',
      homeHeading: 'Tratamientos',
      seeAll: 'Ver todos los tratamientos',
    },
    products: {
      nav: 'Productos',
      title: 'Productos',
      homeHeading: 'En la tienda',
      seeAll: 'Ver todos los productos',
    },
    sessions: {
      nav: 'Sesiones',
      title: 'Sesiones',
      homeHeading: 'Sesiones',
      seeAll: 'Ver todas las sesiones',
    },
  },
  about: {
    nav: 'Nosotros',
    title: 'Sobre nosotros',
    heading: 'Sobre nosotros',
    audienceHeading: 'Para quién',
    more: 'Más sobre nosotros',
  },
  contact: { nav: 'Contacto', title: 'Contacto', heading: 'Contacto' },
  hoursHeading: 'Horario',
  dayColumn: 'Día',
  hoursColumn: 'Horario',
  closed: 'Cerrado',
  phoneLabel: 'Teléfono',
  emailLabel: 'Correo',
  addressLabel: 'Dirección',
  findUsHeading: 'Cómo llegar',
  serviceAreaHeading: 'Dónde trabajamos',
  serviceAreaLead: 'Trabajamos en:',
  mapLink: 'Abrir el mapa',
  socialHeading: 'Síguenos',
  callAction: 'Llamar al',
  emailAction: 'Escríbenos',
  visitAction: 'Cómo llegar',
  ctaHeading: 'Hablemos',
  ctaLead: 'Contáctanos por teléfono o por correo.',
  priceLabel: 'Precio',
  notFound: {
    title: 'Página no encontrada',
    text: 'Lo sentimos, no hay ninguna página en esta dirección.',
    back: 'Volver al inicio',
  },
};

const OTHER_LANGUAGES: Record<string, Copy> = { ja: JAPANESE, fr: FRENCH, de: GERMAN, es: SPANISH };

/** Closing lines that name only the ways of getting in touch the brief actually has. */
const CONTACT_LEADS: Record<string, { phone: string; email: string }> = {
  ja: { phone: 'お電話でどうぞ。', email: 'メールでどうぞ。' },
  fr: { phone: 'Contactez-nous par téléphone.', email: 'Contactez-nous par courriel.' },
  de: { phone: 'Rufen Sie uns an.', email: 'Schreiben Sie uns eine E-Mail.' },
  es: { phone: 'Llámanos por teléfono.', email: 'Escríbenos por correo.' },
};

/** The primary language subtag, lower-cased ("en-GB" → "en"). */
export function baseLanguage(language: string): string {
  return language.toLowerCase().split('-')[0] ?? 'en';
}

/** The template words for this brief's language, industry and tone. */
export function copyFor(brief: Brief): Copy {
  const { phone, email, address } = brief.contact;
  const language = baseLanguage(brief.language);
  const translated = OTHER_LANGUAGES[language];
  const leads = CONTACT_LEADS[language];
  if (translated && leads) {
    if (phone && email) return translated;
    return { ...translated, ctaLead: phone ? leads.phone : leads.email };
  }
  return englishCopy(brief.industry, brief.tone, Boolean(address), {
    phone: Boolean(phone),
    email: Boolean(email),
  });
}

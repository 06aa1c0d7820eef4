/**
 * Realistic business briefs for tests and demos. Each one stresses something different: escaping
 * (apostrophes, ampersands, diacritics), a business without an address, an email-only practice, a
 * non-Latin script, missing optional fields. Phone numbers come from ranges reserved for drama and
 * fiction where the country has one (Ofcom's 0113 496 0xxx, 07700 900xxx …) and are otherwise
 * plausible; none uses the 555 placeholder range, which the intent audit rejects.
 */
import { Brief, type BriefInput } from '../brief.ts';

function fixture(input: BriefInput): Brief {
  return Brief.parse(input);
}

/** A restaurant with an address, split lunch/dinner hours on every day, and menu prices. */
export const pizzeriaBrief = fixture({
  businessName: "Maria's Pizzeria",
  industry: 'restaurant',
  tagline: 'Wood-fired Neapolitan pizza in the heart of Leeds',
  description:
    'A family-run pizzeria on Call Lane. Our dough rests for 48 hours and every pizza is baked in under ' +
    'two minutes in a wood-fired oven.\n\nWe also serve fresh salads, house-made tiramisu and a short list ' +
    'of Italian wines. Takeaway is available for every pizza on the menu.',
  services: [
    { name: 'Margherita', description: 'San Marzano tomato, fior di latte, basil', price: '£9.50' },
    { name: 'Diavola', description: 'Spicy salami, chilli, tomato, mozzarella', price: '£12.00' },
    { name: 'Quattro Formaggi', description: 'Gorgonzola, fontina, parmesan, mozzarella', price: '£13.00' },
    {
      name: 'Funghi e Salsiccia',
      description: 'Wild mushrooms, fennel sausage, mozzarella',
      price: '£13.50',
    },
    { name: 'Burrata salad', description: 'Heritage tomatoes, burrata, basil oil', price: '£8.00' },
    { name: 'Tiramisu', description: 'Made in house every morning', price: '£6.00' },
    { name: 'Takeaway', description: 'Every pizza on the menu, boxed to go' },
  ],
  audience: 'Families, friends and anyone in Leeds city centre who loves proper Neapolitan pizza.',
  tone: 'friendly',
  contact: {
    phone: '0113 496 0123',
    email: 'ciao@mariaspizzeria.co.uk',
    address: { street: '14 Call Lane', locality: 'Leeds', postalCode: 'LS1 6DT', country: 'United Kingdom' },
  },
  hours: [
    { days: ['Mo'], opens: '17:00', closes: '22:00' },
    { days: ['Tu', 'We', 'Th', 'Fr'], opens: '12:00', closes: '14:30' },
    { days: ['Tu', 'We', 'Th', 'Fr'], opens: '17:00', closes: '22:30' },
    { days: ['Sa'], opens: '12:00', closes: '23:00' },
    { days: ['Su'], opens: '12:00', closes: '21:00' },
  ],
  social: ['https://www.instagram.com/mariaspizzerialeeds', 'https://www.facebook.com/mariaspizzerialeeds'],
  colors: { primary: '#b3261e', accent: '#f2c14e' },
  language: 'en-GB',
});

/** Apostrophe, ampersand, diacritics and angle brackets in owner text; a light brand colour. */
export const zoesCafeBrief = fixture({
  businessName: "Zoë's Café & Bar",
  industry: 'cafe',
  tagline: 'Coffee & crêpes by day, "un petit verre" after six',
  description:
    'A small neighbourhood café on Boulevard Saint-Laurent. Mornings are for espresso, croissants and ' +
    "crêpes; evenings are for Québec craft beer, natural wine & small plates. Kids' hot chocolate is " +
    'served in a bowl, the French way.',
  services: [
    { name: 'Café crème', description: 'Double espresso with steamed milk', price: '$4.75' },
    { name: 'Crêpe complète', description: 'Ham, Gruyère & a sunny egg', price: '$13.50' },
    { name: 'Croissant au beurre', price: '$3.75' },
    {
      name: "Kids' hot chocolate",
      description: 'For the under-12s (<12 yrs), served in a bowl',
      price: '$3.25',
    },
    { name: 'Planche du Bar', description: "Québec cheeses & charcuterie for two — a l'apéro", price: '$24' },
    { name: 'Natural wine by the glass', price: 'from $11' },
  ],
  audience: 'Neighbours from the Plateau, students and anyone who wants a slow coffee or a glass of wine.',
  tone: 'playful',
  contact: {
    phone: '+1 514-843-2270',
    email: 'bonjour@zoescafebar.ca',
    address: {
      street: '3895 Boulevard Saint-Laurent',
      locality: 'Montréal',
      region: 'QC',
      postalCode: 'H2W 1X9',
      country: 'Canada',
    },
  },
  hours: [
    { days: ['Mo', 'Tu', 'We', 'Th', 'Fr'], opens: '07:30', closes: '23:00' },
    { days: ['Sa', 'Su'], opens: '09:00', closes: '23:00' },
  ],
  social: ['https://www.instagram.com/zoescafebar'],
  colors: { primary: '#e9c46a', accent: '#2a9d8f' },
  language: 'en-CA',
});

/** A mobile tradesperson: service area instead of an address, no opening hours, a mobile number. */
export const plumberBrief = fixture({
  businessName: 'Okafor Plumbing & Heating',
  industry: 'trades',
  tagline: 'Gas Safe plumbing and heating across Bristol and Bath',
  description:
    'Independent plumber and heating engineer working from a fully equipped van. I fit and service ' +
    'boilers, fix leaks and install bathrooms. I am Gas Safe registered (number 567123).',
  services: [
    { name: 'Boiler servicing', description: 'Annual service with a written safety record', price: '£85' },
    { name: 'Boiler installation', description: 'Combi and system boilers, supplied and fitted' },
    { name: 'Leak repairs', description: 'Taps, pipes, radiators and cylinders' },
    { name: 'Bathroom fitting', description: 'From a new shower to a complete bathroom' },
    { name: 'Landlord gas safety certificate', price: '£70' },
  ],
  audience: 'Homeowners, landlords and letting agents in Bristol, Bath and North Somerset.',
  tone: 'professional',
  contact: {
    phone: '07700 900461',
    email: 'jobs@okaforplumbing.co.uk',
    serviceArea: ['Bristol', 'Bath', 'North Somerset', 'South Gloucestershire'],
  },
  colors: { primary: '#1d4e89' },
  language: 'en-GB',
});

/** A salon with a price on every service, US phone formatting, elegant tone. */
export const salonBrief = fixture({
  businessName: 'Studio Lumen Hair',
  industry: 'salon',
  tagline: 'Precision cuts and lived-in colour on South Congress',
  description:
    'Studio Lumen is a four-chair salon specialising in precision cutting, balayage and colour correction. ' +
    'Every appointment starts with a consultation so we understand your hair and your routine.',
  services: [
    { name: "Women's cut & style", price: '$75' },
    { name: "Men's cut", price: '$45' },
    { name: 'Balayage', description: 'Hand-painted, lived-in colour', price: 'from $220' },
    { name: 'Root touch-up', description: 'Single-process colour at the roots', price: '$95' },
    { name: 'Colour correction', description: 'Priced after a consultation', price: '$120/hour' },
    { name: 'Blow-dry', price: '$50' },
  ],
  audience: 'Busy professionals and creatives in Austin who want low-maintenance hair that grows out well.',
  tone: 'elegant',
  contact: {
    phone: '(512) 640-2291',
    email: 'hello@studiolumenhair.com',
    address: {
      street: '1811 South Congress Avenue, Suite 4',
      locality: 'Austin',
      region: 'TX',
      postalCode: '78704',
      country: 'United States',
    },
  },
  hours: [
    { days: ['Tu', 'We'], opens: '10:00', closes: '19:00' },
    { days: ['Th', 'Fr'], opens: '10:00', closes: '20:00' },
    { days: ['Sa'], opens: '09:00', closes: '17:00' },
  ],
  social: ['https://www.instagram.com/studiolumenhair', 'https://www.tiktok.com/@studiolumenhair'],
  colors: { primary: '#3d2c4e', accent: '#c9a66b' },
  language: 'en-US',
});

/** A health practice reachable by email only. */
export const dentalBrief = fixture({
  businessName: 'Harbourside Dental Care',
  industry: 'health',
  tagline: 'Calm, unhurried dentistry for the whole family',
  description:
    'A general dental practice on the Wellington waterfront offering check-ups, hygiene appointments, ' +
    'fillings and teeth whitening. We welcome nervous patients and take the time to explain every option.',
  services: [
    { name: 'Check-up and clean', description: 'Examination, scale and polish' },
    { name: 'Hygienist appointment', description: '45 minutes with our dental hygienist' },
    { name: 'White fillings' },
    { name: 'Teeth whitening', description: 'Take-home whitening trays' },
    { name: 'Emergency appointments', description: 'Same-week appointments for dental pain' },
  ],
  audience: 'Adults and children in central Wellington, including nervous patients.',
  tone: 'professional',
  contact: {
    email: 'reception@harboursidedental.co.nz',
    address: {
      street: 'Level 2, 88 Customhouse Quay',
      locality: 'Wellington',
      postalCode: '6011',
      country: 'New Zealand',
    },
  },
  hours: [
    { days: ['Mo', 'Tu', 'We', 'Th', 'Fr'], opens: '08:00', closes: '17:00' },
    { days: ['Sa'], opens: '09:00', closes: '12:00' },
  ],
  colors: { primary: '#0f766e', accent: '#99f6e4' },
  language: 'en-NZ',
});

/** Japanese text throughout: name, description, services and address; national phone format. */
export const photographerBrief = fixture({
  businessName: 'ひかり写真館',
  industry: 'photographer',
  tagline: '京都・三条の小さな写真館。家族の記念日を自然光で。',
  description:
    '三条通りにある、家族経営の小さな写真館です。自然光のスタジオで、七五三、お宮参り、家族写真、' +
    'プロフィール写真を撮影しています。撮影したデータはすべてお渡しします。',
  services: [
    { name: '七五三撮影', description: '着物での撮影、データ30カット', price: '¥33,000' },
    { name: 'お宮参り撮影', description: '神社への出張撮影', price: '¥27,500' },
    { name: '家族写真', description: 'スタジオ撮影、データ20カット', price: '¥22,000' },
    { name: 'プロフィール写真', price: '¥16,500' },
  ],
  audience: '京都市内のご家族、記念日を大切にしたい方。',
  tone: 'elegant',
  contact: {
    phone: '075-231-4870',
    email: 'info@hikari-shashinkan.jp',
    address: {
      street: '中京区三条通河原町東入中島町 78',
      locality: '京都市',
      region: '京都府',
      postalCode: '604-8004',
      country: '日本',
    },
  },
  hours: [{ days: ['We', 'Th', 'Fr', 'Sa', 'Su'], opens: '10:00', closes: '18:00' }],
  social: ['https://www.instagram.com/hikari_shashinkan'],
  colors: { primary: '#8c5a3c', accent: '#e8dcc8' },
  language: 'ja',
});

/** A shop with a bold tone, no prices, an accent colour that is too dark for dark text. */
export const retailBrief = fixture({
  businessName: 'Kettle & Kiln',
  industry: 'retail',
  tagline: 'Handmade ceramics, kitchenware and gifts from Scottish makers',
  description:
    'An independent shop in Stockbridge selling stoneware, glassware, linen and kitchen tools made by ' +
    'more than thirty Scottish makers. We gift-wrap every purchase for free.',
  services: [
    { name: 'Stoneware mugs and bowls' },
    { name: 'Glassware', description: 'Hand-blown tumblers, carafes and vases' },
    { name: 'Linen', description: 'Tea towels, napkins and aprons' },
    { name: 'Kitchen tools', description: 'Wooden spoons, boards and knives' },
    { name: 'Gift vouchers', description: 'Any amount, valid for a year' },
    { name: 'Free gift wrapping' },
    { name: 'Wedding lists' },
  ],
  tone: 'bold',
  contact: {
    phone: '0131 496 0742',
    email: 'shop@kettleandkiln.co.uk',
    address: { street: '19 Raeburn Place', locality: 'Edinburgh', postalCode: 'EH4 1HU', country: 'UK' },
  },
  hours: [
    { days: ['Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa'], opens: '10:00', closes: '17:30' },
    { days: ['Su'], opens: '11:00', closes: '16:00' },
  ],
  social: ['https://www.instagram.com/kettleandkiln', 'https://www.pinterest.com/kettleandkiln'],
  colors: { primary: '#1f3d2b', accent: '#d9a441' },
  language: 'en-GB',
});

/** The bare minimum the schema allows: one service, email only, a service area, nothing optional. */
export const dogWalkerBrief = fixture({
  businessName: 'Pawsome Walks',
  industry: 'other',
  description: 'Small-group dog walks in Phoenix Park, with pick-up and drop-off at your door.',
  services: [{ name: 'Group dog walk' }],
  tone: 'friendly',
  contact: { email: 'walks@pawsomewalks.ie', serviceArea: ['Dublin 7', 'Dublin 15'] },
  colors: { primary: '#ff8a00' },
});

/** Every fixture with a stable id (used in test names and screenshot file names). */
export const briefFixtures: ReadonlyArray<{ id: string; brief: Brief }> = [
  { id: 'pizzeria', brief: pizzeriaBrief },
  { id: 'zoes-cafe', brief: zoesCafeBrief },
  { id: 'plumber', brief: plumberBrief },
  { id: 'salon', brief: salonBrief },
  { id: 'dental', brief: dentalBrief },
  { id: 'photographer', brief: photographerBrief },
  { id: 'retail', brief: retailBrief },
  { id: 'dog-walker', brief: dogWalkerBrief },
];

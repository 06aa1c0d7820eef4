/**
 * A scripted owner for journeys on the demo worker: answers every brief question from a fixture
 * brief, in the words an owner might type, and approves what it is shown.
 */
import type { Brief, Weekday } from '../brief.ts';
import { industryLabels, type QuestionKey, questionKeyOf } from '../demo/questions.ts';

const week: Weekday[] = ['Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa', 'Su'];

function days(list: Weekday[]): string {
  const indexes = list.map((day) => week.indexOf(day));
  const consecutive = indexes.every((index, i) => i === 0 || index === (indexes[i - 1] as number) + 1);
  return consecutive && list.length > 2 ? `${list[0]}–${list.at(-1)}` : list.join(', ');
}

export function answerFromBrief(brief: Brief, key: QuestionKey): string {
  const toneLabel = brief.tone.charAt(0).toUpperCase() + brief.tone.slice(1);
  switch (key) {
    case 'name':
      return brief.businessName;
    case 'industry':
      return industryLabels[brief.industry];
    case 'description':
      return brief.description;
    case 'services':
      return brief.services
        .map((service) => (service.price ? `${service.name} – ${service.price}` : service.name))
        .join('\n');
    case 'phone':
      return brief.contact.phone ?? 'none';
    case 'email':
      return brief.contact.email ?? 'none';
    case 'location': {
      const address = brief.contact.address;
      if (address)
        return [address.street, address.locality, address.postalCode, address.country]
          .filter(Boolean)
          .join(', ');
      return `Area: ${(brief.contact.serviceArea ?? []).join(', ')}`;
    }
    case 'hours':
      return brief.hours.length === 0
        ? 'By appointment only'
        : brief.hours.map((hours) => `${days(hours.days)} ${hours.opens}–${hours.closes}`).join('; ');
    case 'tone':
      return toneLabel;
    case 'colour':
      return brief.colors.primary;
    case 'social':
      return brief.social.length > 0 ? brief.social.join('\n') : 'none';
  }
}

/** The owner's answer to whatever the agent asked (null when the question is not a brief question). */
export function ownerAnswer(brief: Brief, question: string): string | null {
  const key = questionKeyOf(question);
  return key ? answerFromBrief(brief, key) : null;
}

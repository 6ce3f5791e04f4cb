import type { Namespace } from './types.js';

/** Catalogue namespace "switcher": the study switcher in the console's header and the page for a person with no study. */
export const switcher: Namespace = {
  en: {
    label: 'Study',
    option: '{code} — {title} · {role} · {status}',
    hint: 'Choose the study to work in. Your role and the pages offered follow the study.',
    'none.title': 'No study',
    'none.text': 'You hold no role in any study of this service. Ask an administrator of the service to give you one.',
    'none.admin': 'As an administrator of the service you can still manage its accounts, sites and role approvals.',
    'none.adminLink': 'Open the administration',
    'none.failed': 'The list of your studies could not be read.',
  },
  fr: {
    label: 'Étude',
    option: '{code} — {title} · {role} · {status}',
    hint: "Choisissez l'étude dans laquelle travailler. Votre rôle et les pages proposées suivent l'étude.",
    'none.title': 'Aucune étude',
    'none.text':
      "Vous n'avez de rôle dans aucune étude de ce service. Demandez à un administrateur du service de vous en attribuer un.",
    'none.admin':
      "En tant qu'administrateur du service, vous pouvez toujours gérer ses comptes, ses sites et les approbations de rôles.",
    'none.adminLink': "Ouvrir l'administration",
    'none.failed': "La liste de vos études n'a pas pu être lue.",
  },
};

/** An email as the domain writes it (texts in shared/domain/email-texts/). */
export interface Email {
  /** a unit's registered address (never one typed into a form), or a staff member's */
  to: string;
  /** copies: the department head on an overdue staff reminder (none on a unit's email: a form's contact is never a recipient) */
  cc?: string[];
  subject: string;
  /** plain text, Chinese first, then English */
  text: string;
  /** a short kebab-case id of the email ('receipt', 'formal-review-request'), logged on the application */
  template: string;
}

/** A member unit as an email addresses it: its name, and the address registered for it (not the form's). */
export interface UnitAddressee {
  unitName: string;
  email: string;
  /**
   * The web app where the unit signs in (`https://…/app/`): its emails link the page of each step
   * (amend, print, hand in a report). Without it they name the steps without a link.
   */
  appUrl?: string;
}

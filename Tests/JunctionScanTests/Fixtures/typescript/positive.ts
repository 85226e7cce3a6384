import Stripe from 'stripe';

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);

export async function create(email: string): Promise<Stripe.Account> {
  return stripe.accounts.create({ type: 'express', country: 'US', email }); // expect: creation express
}

export function usesDashboard(account: Stripe.Account): boolean {
  return account.type !== 'custom'; // expect: condition custom
}

export type AccountType = 'standard' | 'express' | 'custom'; // expect: data standard,express,custom

export function liable(account: Stripe.Account): boolean {
  return account.type! === 'express' && hasNegativeBalanceRisk(account); // expect: condition express
}

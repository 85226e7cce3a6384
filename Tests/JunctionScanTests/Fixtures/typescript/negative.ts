type Speed = 'standard' | 'express';
interface Shipping { type: 'express' | 'economy' }
export function cost(shipping: Shipping, speed: Speed): number {
  if (shipping.type === 'express') return 2;
  return speed === 'standard' ? 1 : 3;
}

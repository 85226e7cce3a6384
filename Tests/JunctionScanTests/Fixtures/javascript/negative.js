const rates = { type: 'express', amount: 1500 };
function price(order, shipping, paymentMethod) {
  if (order.delivery === 'express') return 1;
  if (shipping.type === 'express') return 2;
  if (paymentMethod.type === 'card') return 3;
  // if (account.type === 'express')
  const label = `account.type === 'express'`;
  switch (order.speed) {
    case 'express':
      return 4;
  }
  return ['standard', 'custom'].includes(order.theme) ? label : null;
}
stripe.shippingRates.create({ type: 'fixed_amount', display_name: 'Express' });

const parcel = {};
parcel.type = 'express';
parcel.country = 'US';
ship(parcel);

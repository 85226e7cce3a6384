<?php
$stripe = new \Stripe\StripeClient(getenv('STRIPE_SECRET_KEY'));

function createExpress($stripe, $email) {
    return $stripe->accounts->create(['type' => 'express', 'country' => 'US', 'email' => $email]); // expect: creation express
}

function createCustom() {
    return \Stripe\Account::create([
        'type' => \Stripe\Account::TYPE_CUSTOM, // expect: creation custom
        'country' => 'US',
        'capabilities' => ['card_payments' => ['requested' => true], 'transfers' => ['requested' => true]],
    ]);
}

function route($account) {
    if ($account->type === 'express') { // expect: condition express
        return createLoginLink($account);
    }
    if (in_array($account->type, ['express', 'custom'])) { // expect: condition express,custom
        return chargeApplicationFee($account);
    }
    return match ($account->type) {
        'custom' => collectRequirements($account), // expect: condition custom
        default => null,
    };
}

function isStandard(array $acct) {
    return $acct['type'] == 'standard'; // expect: condition standard
}

function createFromArray() {
    $params = ['country' => 'US'];
    $params['type'] = 'standard'; // expect: creation standard
    return \Stripe\Account::create($params);
}

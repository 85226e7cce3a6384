<?php
function cost($order, $method) {
    if ($order->shipping === 'express') { return 2; }
    if ($method->type === 'card') { return 1; }
    $rate = ['type' => 'express', 'carrier' => 'ups'];
    # if ($account->type === 'express')
    return in_array($order->speed, ['standard', 'express']) ? 1 : 0;
}

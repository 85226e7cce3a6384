enum Speed { case standard, express }

func cost(order: Order, method: PaymentMethod) -> Int {
    if order.speed == .express { return 2 }
    if method.type == .card { return 1 }
    switch order.shipping.type {
    case .express: return 3
    default: return 0
    }
}

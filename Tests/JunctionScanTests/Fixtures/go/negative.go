package shipping

func Cost(order Order, method PaymentMethod) int {
	if order.Speed == "express" {
		return 2
	}
	if method.Type == "card" {
		return 1
	}
	switch order.Delivery.Type {
	case "express":
		return 3
	}
	params := &ShippingParams{Type: "express", Country: "US"}
	_ = params
	return 0
}

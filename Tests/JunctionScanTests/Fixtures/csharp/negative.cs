public class Shipping
{
    public int Cost(Order order, PaymentMethod method)
    {
        if (order.Shipping.Type == "express") return 2;
        if (method.Type == "card") return 1;
        var rate = new ShippingRateCreateOptions { Type = "fixed_amount", DisplayName = "Express" };
        return order.Speed switch { "express" => 3, _ => 0 };
    }
}

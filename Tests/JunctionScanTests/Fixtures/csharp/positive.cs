using Stripe;

public class Connect
{
    public Account CreateExpress(string email)
    {
        var options = new AccountCreateOptions
        {
            Type = "express", // expect: creation express
            Country = "US",
            Email = email,
        };
        return new AccountService().Create(options);
    }

    public bool Dashboard(Account account)
    {
        if (account.Type == "express") // expect: condition express
        {
            return CreateLoginLink(account);
        }
        return account.Type != "custom"; // expect: condition custom
    }

    public decimal Fee(Account connectedAccount) => connectedAccount.Type switch
    {
        "standard" => 0m, // expect: condition standard
        _ => ApplicationFee(),
    };

    public bool Liable(Account account)
    {
        return new[] { "express", "custom" }.Contains(account.Type); // expect: condition express,custom
    }
}

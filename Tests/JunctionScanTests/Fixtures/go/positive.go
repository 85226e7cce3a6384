package connect

import (
	"slices"

	"github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/account"
)

func CreateExpress(email string) (*stripe.Account, error) {
	params := &stripe.AccountParams{
		Type:    stripe.String(string(stripe.AccountTypeExpress)), // expect: creation express
		Country: stripe.String("US"),
		Email:   stripe.String(email),
	}
	return account.New(params)
}

func CreateCustom() (*stripe.Account, error) {
	params := &stripe.AccountCreateParams{
		Type:    stripe.String("custom"), // expect: creation custom
		Country: stripe.String("US"),
	}
	return nil, params
}

func Route(id string) {
	acct, _ := account.GetByID(id, nil)
	if acct.Type == stripe.AccountTypeExpress { // expect: condition express
		createLoginLink(acct)
	}
	switch acct.Type {
	case stripe.AccountTypeCustom: // expect: condition custom
		collectRequirements(acct)
	case "standard": // expect: condition standard
	}
	if slices.Contains([]string{"express", "custom"}, string(acct.Type)) { // expect: condition express,custom
		applicationFee(acct)
	}
}

var kinds = map[string]stripe.AccountType{"a": stripe.AccountTypeStandard} // expect: data standard

package domain

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
)

// MaxLimit is the most recommendations one call returns (a storefront slot).
const MaxLimit = 8

// DefaultLimit is used when the caller names none.
const DefaultLimit = 4

var idPattern = regexp.MustCompile(`^[0-9a-f]{24}$`)

// Params of recommendations.forProduct.
type Params struct {
	ProductID string
	Limit     int
}

// Issue is one rejected field, in fastest-validator's shape so the gateway
// answers a 422 that looks like every other one.
type Issue struct {
	Type     string `json:"type"`
	Message  string `json:"message"`
	Field    string `json:"field"`
	Expected any    `json:"expected,omitempty"`
	Actual   any    `json:"actual,omitempty"`
}

// ParamsSchema is the same rules in fastest-validator notation, for INFO.
var ParamsSchema = map[string]any{
	"$$strict":  "remove",
	"productId": map[string]any{"type": "string", "pattern": idPattern.String()},
	"limit":     map[string]any{"type": "number", "integer": true, "min": 1, "max": MaxLimit, "convert": true, "optional": true},
}

// ParseParams validates raw params: productId is an entity id (24 hex),
// limit an integer 1..MaxLimit (text is converted, as query strings arrive).
// Unknown fields are ignored.
func ParseParams(raw json.RawMessage) (Params, []Issue) {
	var fields map[string]json.RawMessage
	if len(raw) == 0 || string(raw) == "null" {
		fields = map[string]json.RawMessage{}
	} else if err := json.Unmarshal(raw, &fields); err != nil {
		return Params{}, []Issue{{Type: "object", Message: "The parameters must be an object.", Field: ""}}
	}
	p := Params{Limit: DefaultLimit}
	var issues []Issue

	if v, ok := fields["productId"]; !ok || string(v) == "null" {
		issues = append(issues, Issue{Type: "required", Message: "The 'productId' field is required.", Field: "productId"})
	} else if err := json.Unmarshal(v, &p.ProductID); err != nil {
		issues = append(issues, Issue{Type: "string", Message: "The 'productId' field must be a string.", Field: "productId"})
	} else if !idPattern.MatchString(p.ProductID) {
		issues = append(issues, Issue{Type: "stringPattern", Message: "'productId' is not a valid id.", Field: "productId", Expected: idPattern.String(), Actual: p.ProductID})
	}

	if v, ok := fields["limit"]; ok && string(v) != "null" {
		n, ok := number(v)
		switch {
		case !ok:
			issues = append(issues, Issue{Type: "number", Message: "The 'limit' field must be a number.", Field: "limit"})
		case n != float64(int(n)):
			issues = append(issues, Issue{Type: "numberInteger", Message: "The 'limit' field must be an integer.", Field: "limit", Actual: n})
		case n < 1:
			issues = append(issues, Issue{Type: "numberMin", Message: "The 'limit' field must be greater than or equal to 1.", Field: "limit", Expected: 1, Actual: n})
		case n > MaxLimit:
			issues = append(issues, Issue{Type: "numberMax", Message: fmt.Sprintf("The 'limit' field must be less than or equal to %d.", MaxLimit), Field: "limit", Expected: MaxLimit, Actual: n})
		default:
			p.Limit = int(n)
		}
	}
	return p, issues
}

// number reads a JSON number, or a string holding one (convert: true).
func number(v json.RawMessage) (float64, bool) {
	var n float64
	if json.Unmarshal(v, &n) == nil {
		return n, true
	}
	var s string
	if json.Unmarshal(v, &s) != nil {
		return 0, false
	}
	n, err := strconv.ParseFloat(s, 64)
	return n, err == nil
}

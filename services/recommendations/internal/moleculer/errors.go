package moleculer

import "fmt"

// Error is Moleculer's error shape, as a RES packet carries it and as the
// gateway turns it into an HTTP answer ({ name, message, code, type, data }).
type Error struct {
	Name      string `json:"name"`
	Message   string `json:"message"`
	NodeID    string `json:"nodeID,omitempty"`
	Code      int    `json:"code"`
	Type      string `json:"type,omitempty"`
	Retryable bool   `json:"retryable"`
	Stack     string `json:"stack,omitempty"`
	Data      any    `json:"data,omitempty"`
}

func (e *Error) Error() string { return fmt.Sprintf("%s: %s", e.Name, e.Message) }

// ValidationIssue is one failed rule, in fastest-validator's shape.
type ValidationIssue struct {
	Type     string `json:"type"`
	Message  string `json:"message"`
	Field    string `json:"field"`
	Expected any    `json:"expected,omitempty"`
	Actual   any    `json:"actual,omitempty"`
}

// NewValidationError is the 422 a Node service answers for bad params.
func NewValidationError(issues []ValidationIssue) *Error {
	return &Error{Name: "ValidationError", Message: "Parameters validation error!", Code: 422, Type: "VALIDATION_ERROR", Data: issues}
}

// NewClientError is a MoleculerClientError: the caller's fault, not retried.
func NewClientError(message string, code int, typ string, data any) *Error {
	return &Error{Name: "MoleculerClientError", Message: message, Code: code, Type: typ, Data: data}
}

// NewServerError is a MoleculerServerError: ours, and retryable.
func NewServerError(message string, typ string) *Error {
	return &Error{Name: "MoleculerServerError", Message: message, Code: 500, Type: typ, Retryable: true}
}

type actionOnNode struct {
	Action string `json:"action"`
	NodeID string `json:"nodeID,omitempty"`
}

// NewServiceNotFoundError: no node offers the action (404, retryable).
func NewServiceNotFoundError(action, nodeID string) *Error {
	msg := fmt.Sprintf("Service '%s' is not found.", action)
	if nodeID != "" {
		msg = fmt.Sprintf("Service '%s' is not found on '%s' node.", action, nodeID)
	}
	return &Error{Name: "ServiceNotFoundError", Message: msg, Code: 404, Type: "SERVICE_NOT_FOUND", Retryable: true, Data: actionOnNode{action, nodeID}}
}

// NewServiceNotAvailableError: the node is stopping (404, retryable elsewhere).
func NewServiceNotAvailableError(action, nodeID string) *Error {
	return &Error{Name: "ServiceNotAvailableError", Message: fmt.Sprintf("Service '%s' is not available on '%s' node.", action, nodeID), Code: 404, Type: "SERVICE_NOT_AVAILABLE", Retryable: true, Data: actionOnNode{action, nodeID}}
}

// NewRequestTimeoutError: no answer within the timeout (504, retryable).
func NewRequestTimeoutError(action, nodeID string) *Error {
	return &Error{Name: "RequestTimeoutError", Message: fmt.Sprintf("Request is timed out when call '%s' action on '%s' node.", action, nodeID), Code: 504, Type: "REQUEST_TIMEOUT", Retryable: true, Data: actionOnNode{action, nodeID}}
}

// NewRequestRejectedError: the called node left before answering (503, retryable).
func NewRequestRejectedError(action, nodeID string) *Error {
	return &Error{Name: "RequestRejectedError", Message: fmt.Sprintf("Request is rejected when call '%s' action on '%s' node.", action, nodeID), Code: 503, Type: "REQUEST_REJECTED", Retryable: true, Data: actionOnNode{action, nodeID}}
}

// AsError turns any error into Moleculer's shape (an unknown one is a 500).
func AsError(err error) *Error {
	if e, ok := err.(*Error); ok {
		return e
	}
	return &Error{Name: "MoleculerError", Message: err.Error(), Code: 500}
}

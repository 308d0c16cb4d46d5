package data

import (
	"errors"
	"fmt"
)

// LineError is a problem with one line of a jsonl file. It prints as
// "file:line: field: problem" (no field for problems with the whole line),
// the form editors and terminals turn into links.
type LineError struct {
	File    string
	Line    int    // 1-based
	Field   string // "src", "trg" or "" for the whole line
	Problem string
}

func (e *LineError) Error() string {
	if e.Field == "" {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Problem)
	}
	return fmt.Sprintf("%s:%d: %s: %s", e.File, e.Line, e.Field, e.Problem)
}

// IsLineError reports whether err is (or wraps) a *LineError, a problem
// that SkipBad may skip, as opposed to an I/O error that it may not.
func IsLineError(err error) bool {
	var le *LineError
	return errors.As(err, &le)
}

package torchpt

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
)

// Pickle opcodes torch.save emits for a state dict (protocol 2), plus the
// few protocol-4 framing opcodes newer writers may add. Names follow
// Python's pickletools.
const (
	opMark           = '('
	opStop           = '.'
	opBinInt         = 'J'
	opBinInt1        = 'K'
	opBinInt2        = 'M'
	opNone           = 'N'
	opBinUnicode     = 'X'
	opShortBinUnicod = '\x8c'
	opAppend         = 'a'
	opAppends        = 'e'
	opBuild          = 'b'
	opGlobal         = 'c'
	opStackGlobal    = '\x93'
	opDict           = 'd'
	opEmptyDict      = '}'
	opBinGet         = 'h'
	opLongBinGet     = 'j'
	opList           = 'l'
	opEmptyList      = ']'
	opBinPut         = 'q'
	opLongBinPut     = 'r'
	opMemoize        = '\x94'
	opBinPersID      = 'Q'
	opReduce         = 'R'
	opSetItem        = 's'
	opSetItems       = 'u'
	opTuple          = 't'
	opEmptyTuple     = ')'
	opTuple1         = '\x85'
	opTuple2         = '\x86'
	opTuple3         = '\x87'
	opBinFloat       = 'G'
	opProto          = '\x80'
	opFrame          = '\x95'
	opNewTrue        = '\x88'
	opNewFalse       = '\x89'
	opLong1          = '\x8a'
)

// Caps on the machine's state. A state dict needs a handful of stack
// slots, a few marks deep and a memo entry per object; these leave
// orders of magnitude of room while bounding hostile input.
const (
	maxStack = 1 << 20
	maxMarks = 1 << 10
	maxMemo  = 1 << 22
	maxName  = 256 // GLOBAL module/name line length
)

// machine is a pickle virtual machine restricted to data: it builds
// tuples, lists, dicts, strings and numbers, and calls only the
// allowlisted constructors in call.
type machine struct {
	code  []byte
	pos   int
	stack []any
	marks []int
	memo  map[uint32]any

	// persistentLoad resolves a BINPERSID id (a storage record).
	persistentLoad func(pid any) (any, error)
	// call applies an allowlisted global to its arguments (REDUCE).
	call func(fn global, args tuple) (any, error)
}

// run executes the pickle and returns the value left by STOP. Every
// opcode consumes at least one byte, so run halts in at most len(code)
// steps.
func (m *machine) run() (any, error) {
	m.memo = map[uint32]any{}
	for m.pos < len(m.code) {
		at := m.pos
		op := m.code[m.pos]
		m.pos++
		done, err := m.step(op)
		if err != nil {
			return nil, fmt.Errorf("data.pkl offset %d (opcode %#02x): %w", at, op, err)
		}
		if done {
			if len(m.stack) != 1 || len(m.marks) != 0 {
				return nil, fmt.Errorf("data.pkl: STOP with %d values and %d marks on the stack, want exactly 1 value", len(m.stack), len(m.marks))
			}
			return m.stack[0], nil
		}
	}
	return nil, errors.New("data.pkl: ends without STOP (truncated?)")
}

// read consumes n bytes of arguments.
func (m *machine) read(n int) ([]byte, error) {
	if n < 0 || n > len(m.code)-m.pos {
		return nil, fmt.Errorf("argument of %d bytes runs past the end of the pickle", n)
	}
	b := m.code[m.pos : m.pos+n]
	m.pos += n
	return b, nil
}

// readLine consumes a newline-terminated argument (GLOBAL's two names).
func (m *machine) readLine() (string, error) {
	for i := m.pos; i < len(m.code) && i-m.pos <= maxName; i++ {
		if m.code[i] == '\n' {
			s := string(m.code[m.pos:i])
			m.pos = i + 1
			return s, nil
		}
	}
	return "", errors.New("GLOBAL name is unterminated or longer than 256 bytes")
}

func (m *machine) push(v any) error {
	if len(m.stack) >= maxStack {
		return fmt.Errorf("stack exceeds %d values", maxStack)
	}
	m.stack = append(m.stack, v)
	return nil
}

// floor is the stack index below which values belong to an open MARK.
func (m *machine) floor() int {
	if len(m.marks) > 0 {
		return m.marks[len(m.marks)-1]
	}
	return 0
}

func (m *machine) pop() (any, error) {
	if len(m.stack) <= m.floor() {
		return nil, errors.New("stack underflow")
	}
	v := m.stack[len(m.stack)-1]
	m.stack = m.stack[:len(m.stack)-1]
	return v, nil
}

// popN pops the top n values (above the last MARK), oldest first.
func (m *machine) popN(n int) ([]any, error) {
	if len(m.stack)-m.floor() < n {
		return nil, errors.New("stack underflow")
	}
	items := append([]any(nil), m.stack[len(m.stack)-n:]...)
	m.stack = m.stack[:len(m.stack)-n]
	return items, nil
}

func (m *machine) top() (any, error) {
	if len(m.stack) <= m.floor() {
		return nil, errors.New("stack underflow")
	}
	return m.stack[len(m.stack)-1], nil
}

// popMark returns the values pushed since the last MARK and drops them.
func (m *machine) popMark() ([]any, error) {
	if len(m.marks) == 0 {
		return nil, errors.New("no MARK on the stack")
	}
	k := m.marks[len(m.marks)-1]
	m.marks = m.marks[:len(m.marks)-1]
	items := append([]any(nil), m.stack[k:]...)
	m.stack = m.stack[:k]
	return items, nil
}

func (m *machine) put(idx uint32) error {
	v, err := m.top()
	if err != nil {
		return err
	}
	if _, ok := m.memo[idx]; !ok && len(m.memo) >= maxMemo {
		return fmt.Errorf("memo exceeds %d entries", maxMemo)
	}
	m.memo[idx] = v
	return nil
}

func (m *machine) get(idx uint32) error {
	v, ok := m.memo[idx]
	if !ok {
		return fmt.Errorf("memo key %d was never stored", idx)
	}
	return m.push(v)
}

// step executes one opcode; done reports STOP.
func (m *machine) step(op byte) (done bool, err error) {
	le := binary.LittleEndian
	switch op {
	case opProto:
		b, err := m.read(1)
		if err != nil {
			return false, err
		}
		if b[0] < 2 || b[0] > 5 {
			return false, fmt.Errorf("pickle protocol %d not supported (want 2..5)", b[0])
		}
	case opFrame:
		_, err = m.read(8) // a length hint only; the frame's bytes follow inline
	case opStop:
		return true, nil
	case opMark:
		if len(m.marks) >= maxMarks {
			return false, fmt.Errorf("MARKs nest deeper than %d", maxMarks)
		}
		m.marks = append(m.marks, len(m.stack))
	case opNone:
		err = m.push(nil)
	case opNewTrue:
		err = m.push(true)
	case opNewFalse:
		err = m.push(false)
	case opBinInt:
		var b []byte
		if b, err = m.read(4); err == nil {
			err = m.push(int64(int32(le.Uint32(b))))
		}
	case opBinInt1:
		var b []byte
		if b, err = m.read(1); err == nil {
			err = m.push(int64(b[0]))
		}
	case opBinInt2:
		var b []byte
		if b, err = m.read(2); err == nil {
			err = m.push(int64(le.Uint16(b)))
		}
	case opLong1:
		err = m.long1()
	case opBinFloat:
		var b []byte
		if b, err = m.read(8); err == nil {
			err = m.push(math.Float64frombits(binary.BigEndian.Uint64(b)))
		}
	case opBinUnicode, opShortBinUnicod:
		var n int
		if op == opShortBinUnicod {
			var b []byte
			if b, err = m.read(1); err == nil {
				n = int(b[0])
			}
		} else {
			var b []byte
			if b, err = m.read(4); err == nil {
				if u := le.Uint32(b); uint64(u) <= uint64(len(m.code)-m.pos) {
					n = int(u)
				} else {
					err = fmt.Errorf("string of %d bytes runs past the end of the pickle", u)
				}
			}
		}
		if err != nil {
			return false, err
		}
		var b []byte
		if b, err = m.read(n); err == nil {
			err = m.push(string(b))
		}
	case opBinPut:
		var b []byte
		if b, err = m.read(1); err == nil {
			err = m.put(uint32(b[0]))
		}
	case opLongBinPut:
		var b []byte
		if b, err = m.read(4); err == nil {
			err = m.put(le.Uint32(b))
		}
	case opMemoize:
		err = m.put(uint32(len(m.memo)))
	case opBinGet:
		var b []byte
		if b, err = m.read(1); err == nil {
			err = m.get(uint32(b[0]))
		}
	case opLongBinGet:
		var b []byte
		if b, err = m.read(4); err == nil {
			err = m.get(le.Uint32(b))
		}
	case opEmptyTuple:
		err = m.push(tuple{})
	case opTuple1, opTuple2, opTuple3:
		n := int(op-opTuple1) + 1
		t := make(tuple, n)
		for i := n - 1; i >= 0; i-- {
			if t[i], err = m.pop(); err != nil {
				return false, err
			}
		}
		err = m.push(t)
	case opTuple:
		var items []any
		if items, err = m.popMark(); err == nil {
			err = m.push(tuple(items))
		}
	case opEmptyList:
		err = m.push(&list{})
	case opList:
		var items []any
		if items, err = m.popMark(); err == nil {
			err = m.push(&list{items: items})
		}
	case opAppend, opAppends:
		err = m.appends(op == opAppends)
	case opEmptyDict:
		err = m.push(newDict())
	case opDict:
		var items []any
		if items, err = m.popMark(); err == nil {
			d := newDict()
			if err = setPairs(d, items); err == nil {
				err = m.push(d)
			}
		}
	case opSetItem, opSetItems:
		err = m.setItems(op == opSetItems)
	case opGlobal:
		var mod, name string
		if mod, err = m.readLine(); err != nil {
			return false, err
		}
		if name, err = m.readLine(); err != nil {
			return false, err
		}
		var g global
		if g, err = resolveGlobal(mod, name); err == nil {
			err = m.push(g)
		}
	case opStackGlobal:
		err = m.stackGlobal()
	case opBinPersID:
		var pid, v any
		if pid, err = m.pop(); err != nil {
			return false, err
		}
		if v, err = m.persistentLoad(pid); err == nil {
			err = m.push(v)
		}
	case opReduce:
		err = m.reduce()
	case opBuild:
		err = m.build()
	default:
		return false, fmt.Errorf("opcode %#02x (%q) is not used by torch.save state dicts; refusing", op, rune(op))
	}
	return false, err
}

package torchpt

import (
	"errors"
	"fmt"
)

// The compound opcodes of the pickle machine: integers wider than 4
// bytes, container building, and the two that call into the allowlist
// (REDUCE, BUILD). The dispatch loop is in pickle.go.

// long1 decodes LONG1: a length byte and that many little-endian
// two's-complement bytes. Values outside int64 are refused.
func (m *machine) long1() error {
	b, err := m.read(1)
	if err != nil {
		return err
	}
	v, err := m.read(int(b[0]))
	if err != nil {
		return err
	}
	if len(v) > 8 {
		ext := byte(0)
		if v[len(v)-1]&0x80 != 0 {
			ext = 0xff
		}
		for _, c := range v[8:] {
			if c != ext {
				return errors.New("LONG1 integer does not fit in int64")
			}
		}
		if (v[7]&0x80 != 0) != (ext == 0xff) {
			return errors.New("LONG1 integer does not fit in int64")
		}
		v = v[:8]
	}
	var u uint64
	for i := len(v) - 1; i >= 0; i-- {
		u = u<<8 | uint64(v[i])
	}
	if n := len(v); n > 0 && n < 8 && v[n-1]&0x80 != 0 {
		u |= ^uint64(0) << (8 * n) // sign-extend
	}
	return m.push(int64(u))
}

// popItems pops the values of an APPENDS/SETITEMS (many: everything since
// the MARK) or of an APPEND/SETITEM (the top n), oldest first.
func (m *machine) popItems(many bool, n int) ([]any, error) {
	if many {
		return m.popMark()
	}
	return m.popN(n)
}

func (m *machine) appends(many bool) error {
	items, err := m.popItems(many, 1)
	if err != nil {
		return err
	}
	t, err := m.top()
	if err != nil {
		return err
	}
	l, ok := t.(*list)
	if !ok {
		return fmt.Errorf("APPEND to a %s, not a list", typeName(t))
	}
	l.items = append(l.items, items...)
	return nil
}

func (m *machine) setItems(many bool) error {
	items, err := m.popItems(many, 2) // key, value
	if err != nil {
		return err
	}
	t, err := m.top()
	if err != nil {
		return err
	}
	d, ok := t.(*dict)
	if !ok {
		return fmt.Errorf("SETITEM on a %s, not a dict", typeName(t))
	}
	return setPairs(d, items)
}

func setPairs(d *dict, items []any) error {
	if len(items)%2 != 0 {
		return fmt.Errorf("odd number (%d) of dict keys and values", len(items))
	}
	for i := 0; i < len(items); i += 2 {
		if err := d.set(items[i], items[i+1]); err != nil {
			return err
		}
	}
	return nil
}

func (m *machine) stackGlobal() error {
	v, err := m.popN(2) // module, name
	if err != nil {
		return err
	}
	ms, ok1 := v[0].(string)
	ns, ok2 := v[1].(string)
	if !ok1 || !ok2 {
		return errors.New("STACK_GLOBAL needs two strings")
	}
	g, err := resolveGlobal(ms, ns)
	if err != nil {
		return err
	}
	return m.push(g)
}

func (m *machine) reduce() error {
	fa, err := m.popN(2) // callable, arguments
	if err != nil {
		return err
	}
	f, a := fa[0], fa[1]
	args, ok := a.(tuple)
	if !ok {
		return fmt.Errorf("REDUCE arguments are a %s, not a tuple", typeName(a))
	}
	fn, ok := f.(global)
	if !ok {
		return fmt.Errorf("REDUCE calls a %s, not a global", typeName(f))
	}
	v, err := m.call(fn, args)
	if err != nil {
		return fmt.Errorf("%s.%s: %w", fn.module, fn.name, err)
	}
	return m.push(v)
}

// build handles BUILD, which sets an object's attributes. torch.save uses
// it only to attach _metadata (per-module versions) to a state dict's
// OrderedDict; we accept that and drop the state.
func (m *machine) build() error {
	state, err := m.pop()
	if err != nil {
		return err
	}
	t, err := m.top()
	if err != nil {
		return err
	}
	if _, ok := t.(*dict); !ok {
		return fmt.Errorf("BUILD on a %s; only an OrderedDict's attributes are accepted", typeName(t))
	}
	if _, ok := state.(*dict); !ok && state != nil {
		return fmt.Errorf("BUILD state is a %s, not a dict", typeName(state))
	}
	return nil
}

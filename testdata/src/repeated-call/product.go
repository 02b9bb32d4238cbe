package repeated

import "rt"

// Lexer hands out the next token of its input; every Done moves on.
type Lexer struct {
	in  []byte
	pos int
	c   *rt.Completion
}

func (l *Lexer) Token() (rt.IOResult[[]byte], error) {
	if l.c == nil {
		l.c = rt.NewCompletion()
		return rt.Wait[[]byte](l.c), nil
	}
	l.c = nil
	tok := l.in[l.pos : l.pos+1]
	l.pos++
	return rt.Done(tok), nil
}

// Parser keeps the token it lexed in a memo: a nil test says "not lexed
// yet", and the lexer's Done value is recorded there.
type Parser struct {
	lex   *Lexer
	out   *rt.Cursor
	tok   []byte
	words [][]byte
}

// The memo records its arm's product: re-entry after the insert's yield
// leaves the arm and does not lex again.
func (p *Parser) Memo() (rt.IOResult[int], error) {
	if p.tok == nil {
		r, err := p.lex.Token()
		if err != nil || r.IsIO() {
			return rt.Forward[int](r, err)
		}
		p.tok = r.Value()[1:]
	}
	w, err := p.out.Insert(len(p.tok))
	if err != nil || w.IsIO() {
		return rt.Forward[int](w, err)
	}
	return rt.Done(w.Value()), nil
}

// A memo filled by appending the product can stay nil (appending nothing
// to nil gives nil): re-entry may lex again.
func (p *Parser) AppendBuggy() (rt.IOResult[int], error) {
	if p.tok == nil {
		r, err := p.lex.Token() // want `calls p\.lex\.Token, which already returned Done, runs again`
		if err != nil || r.IsIO() {
			return rt.Forward[int](r, err)
		}
		p.tok = append(p.tok, r.Value()...) // want `appends to p\.tok before the yield`
	}
	w, err := p.out.Insert(len(p.tok))
	if err != nil || w.IsIO() {
		return rt.Forward[int](w, err)
	}
	return rt.Done(w.Value()), nil
}

// The call is made before the memo's arm: whatever the memo holds,
// re-entry reaches the call again.
func (p *Parser) OutsideBuggy() (rt.IOResult[int], error) {
	r, err := p.lex.Token() // want `calls p\.lex\.Token, which already returned Done, runs again`
	if err != nil || r.IsIO() {
		return rt.Forward[int](r, err)
	}
	if p.tok == nil {
		p.tok = r.Value()
	}
	w, err := p.out.Insert(len(p.tok))
	if err != nil || w.IsIO() {
		return rt.Forward[int](w, err)
	}
	return rt.Done(w.Value()), nil
}

// The arm tests one memo and records the product in another location:
// the tested one stays nil and re-entry lexes again.
func (p *Parser) ElsewhereBuggy() (rt.IOResult[int], error) {
	if p.tok == nil {
		r, err := p.lex.Token() // want `calls p\.lex\.Token, which already returned Done, runs again`
		if err != nil || r.IsIO() {
			return rt.Forward[int](r, err)
		}
		p.words = append(p.words, r.Value()) // want `appends to p\.words before the yield`
	}
	w, err := p.out.Insert(len(p.words))
	if err != nil || w.IsIO() {
		return rt.Forward[int](w, err)
	}
	return rt.Done(w.Value()), nil
}

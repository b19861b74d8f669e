package sdk

// setSession makes sess current, stores it, re-arms renewal, then announces
// ev (none if ""). Storing comes first so that nothing can use a refreshed
// pair that a reload would not find.
func (c *Client) setSession(sess *Session, ev Event) {
	if err := c.opts.store.Set(c.key, encodeStored(sess)); err != nil {
		c.storageFailed(err)
	}
	c.mu.Lock()
	c.session = sess
	c.armRenewalLocked(sess)
	c.mu.Unlock()
	if ev != "" {
		c.events.emit(ev, sess)
	}
}

// dropSession forgets the session locally and in the store.
func (c *Client) dropSession(ev Event) {
	c.forgetStored()
	c.mu.Lock()
	had := c.session != nil
	c.session = nil
	c.renewal.stop()
	c.mu.Unlock()
	if had && ev != "" {
		c.events.emit(ev, nil)
	}
}

func (c *Client) forgetStored() {
	if err := c.opts.store.Remove(c.key); err != nil {
		c.storageFailed(err)
	}
}

func (c *Client) storageFailed(err error) {
	if c.opts.onStorageError != nil {
		c.opts.onStorageError(&Error{Code: CodeStorageUnavailable, Message: "the session store failed: " + err.Error(), Err: err})
	}
}

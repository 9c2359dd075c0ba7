"""Where orders come from: reading what customers type in chats (smart paste)."""

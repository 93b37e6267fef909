"""The Textual face over the release engine: browse releases and roll back from the keyboard."""

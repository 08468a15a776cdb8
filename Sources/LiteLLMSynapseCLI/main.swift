print("litellm-synapse")
